namespace Interlude.Inference.Vision;

/// <summary>
/// One of the BlazeFace face detection models, as ONNX files (see <see cref="ModelFiles"/>): the names and shapes
/// of its tensors, how its input is laid out and scaled, and how its outputs are read.
/// </summary>
/// <remarks>
/// <para>
/// Both models take one RGB image, square, letterboxed and scaled to [-1, 1], in NHWC order, and give for each of
/// 896 anchors a score (a logit) and 16 regressors: the box centre offset and size, then six keypoint offsets, in
/// input pixels. The outputs come in two parts each, one per anchor grid (16x16 cells with 2 anchors, then 8x8
/// cells with 6); <see cref="FaceDetector.Decode"/> takes each kind as one span, the parts concatenated in the
/// order of <see cref="RegressorOutputs"/> and <see cref="ScoreOutputs"/>. A runtime can write each part straight
/// into its slice of one buffer.
/// </para>
/// <para>
/// The files declare a batch of exactly one (the input's first dimension is fixed and the graph reshapes its
/// outputs to batch 1), so <see cref="MaxBatchSize"/> is 1: a batching runtime runs one image per call.
/// </para>
/// </remarks>
public sealed class BlazeFaceModel
{
    private const int GridCells16 = 16 * 16 * 2;
    private const int GridCells8 = 8 * 8 * 6;

    // The anchor grids, in output order: (cells per side, anchors per cell). The same in both models' normalized
    // coordinates: the front model's strides 8 and 16 on 128 pixels, the back model's 16 and 32 on 256. Declared
    // before the models so that it is set when their initializers run.
    private static readonly (int Cells, int AnchorsPerCell)[] s_anchorLayers = [(16, 2), (8, 6)];

    private BlazeFaceModel(string name, string fileName, int inputSize)
    {
        Name = name;
        FileName = fileName;
        InputSize = inputSize;
        Input = new TensorDescription("input:0", 1, inputSize, inputSize, 3);
        ScoreOutputs =
        [
            new TensorDescription("Identity:0", 1, GridCells16, 1),
            new TensorDescription("Identity_1:0", 1, GridCells8, 1),
        ];
        RegressorOutputs =
        [
            new TensorDescription("Identity_2:0", 1, GridCells16, RegressorsPerAnchor),
            new TensorDescription("Identity_3:0", 1, GridCells8, RegressorsPerAnchor),
        ];
        Outputs = [ScoreOutputs[0], ScoreOutputs[1], RegressorOutputs[0], RegressorOutputs[1]];
        Anchors = AnchorGrid.Create(s_anchorLayers);
    }

    /// <summary>
    /// The short-range model, for faces that fill much of the frame (a selfie, a portrait, a webcam): 128x128
    /// input, file <c>face_detection_front_128x128_barracuda.onnx</c>.
    /// </summary>
    public static BlazeFaceModel Front { get; } = new("blazeface-front-128", "face_detection_front_128x128_barracuda.onnx", 128);

    /// <summary>
    /// The full-range model, for smaller faces further away (a rear camera's view): 256x256 input, file
    /// <c>face_detection_back_256x256_barracuda.onnx</c>.
    /// </summary>
    public static BlazeFaceModel Back { get; } = new("blazeface-back-256", "face_detection_back_256x256_barracuda.onnx", 256);

    /// <summary>A short name for logs and metrics, such as <c>blazeface-front-128</c>.</summary>
    public string Name { get; }

    /// <summary>The model file's name within the BlazeFace model folder.</summary>
    public string FileName { get; }

    /// <summary>The input's width and height in pixels (the input is square).</summary>
    public int InputSize { get; }

    /// <summary>The input tensor: <c>input:0</c>, float, <c>[1, size, size, 3]</c>.</summary>
    public TensorDescription Input { get; }

    /// <summary>The order of the input's dimensions: <see cref="TensorLayout.Nhwc"/>.</summary>
    public TensorLayout InputLayout => TensorLayout.Nhwc;

    /// <summary>The value a black pixel channel becomes in the input.</summary>
    public float InputMinimum => -1f;

    /// <summary>The value a full-intensity pixel channel becomes in the input.</summary>
    public float InputMaximum => 1f;

    /// <summary>The floats one image's input holds (<c>size * size * 3</c>).</summary>
    public int InputLength => checked((int)Input.ElementCount);

    /// <summary>The most images one call of the model takes: 1, as the files fix the batch dimension.</summary>
    public int MaxBatchSize => 1;

    /// <summary>All four outputs, in the order ONNX Runtime lists them.</summary>
    public IReadOnlyList<TensorDescription> Outputs { get; }

    /// <summary>
    /// The score outputs (one logit per anchor), in the order their values concatenate into the scores
    /// <see cref="FaceDetector.Decode"/> takes.
    /// </summary>
    public IReadOnlyList<TensorDescription> ScoreOutputs { get; }

    /// <summary>
    /// The regressor outputs (<see cref="RegressorsPerAnchor"/> per anchor), in the order their values
    /// concatenate into the regressors <see cref="FaceDetector.Decode"/> takes.
    /// </summary>
    public IReadOnlyList<TensorDescription> RegressorOutputs { get; }

    /// <summary>The number of anchors, so of candidate boxes, per image: 896.</summary>
    public int AnchorCount => GridCells16 + GridCells8;

    /// <summary>
    /// The regressors per anchor: 16, the box (centre x and y offsets, width, height) then six (x, y) keypoint
    /// offsets, all in input pixels.
    /// </summary>
    public int RegressorsPerAnchor => 16;

    /// <summary>The floats of one image's regressors, all outputs together (<c>896 * 16</c>).</summary>
    public int RegressorLength => AnchorCount * RegressorsPerAnchor;

    /// <summary>The floats of one image's scores, all outputs together (896).</summary>
    public int ScoreLength => AnchorCount;

    /// <summary>The model's name.</summary>
    public override string ToString() => Name;

    // Anchor centres, normalized to [0, 1]: x of anchor i at 2i, y at 2i + 1.
    internal float[] Anchors { get; }
}
