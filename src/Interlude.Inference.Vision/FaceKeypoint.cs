namespace Interlude.Inference.Vision;

/// <summary>
/// The six landmarks BlazeFace places on a face, in the order of <see cref="FaceDetection.Keypoints"/>. Left and
/// right are the person's own, so the right eye is the one on the left of a frontal photo.
/// </summary>
public enum FaceKeypoint
{
    /// <summary>The centre of the person's right eye.</summary>
    RightEye,

    /// <summary>The centre of the person's left eye.</summary>
    LeftEye,

    /// <summary>The tip of the nose.</summary>
    NoseTip,

    /// <summary>The centre of the mouth.</summary>
    MouthCenter,

    /// <summary>The tragion (the notch in front of the ear) of the person's right ear.</summary>
    RightEarTragion,

    /// <summary>The tragion of the person's left ear.</summary>
    LeftEarTragion,
}
