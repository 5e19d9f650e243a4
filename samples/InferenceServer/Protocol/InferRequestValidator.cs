using InferenceServer.Models;

namespace InferenceServer.Protocol;

/// <summary>
/// Checks a request against a model's declared inputs and outputs before the model sees it: every input known
/// and given once, every declared input present, data types and shapes as declared, requested outputs known.
/// </summary>
public static class InferRequestValidator
{
    public static void Validate(IServedModel model, InferRequest request)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(request);
        foreach (InferTensor input in request.Inputs)
        {
            TensorMetadata? declared = Find(model.Inputs, input.Name)
                ?? throw InferenceRequestException.BadRequest(
                    $"Model '{model.Name}' has no input '{input.Name}'; its inputs are {string.Join(", ", model.Inputs.Select(i => $"'{i.Name}'"))}.");
            if (declared.DataType != input.DataType)
            {
                throw InferenceRequestException.BadRequest(
                    $"Input '{input.Name}' of model '{model.Name}' is {TensorDataTypes.Name(declared.DataType)}, not {TensorDataTypes.Name(input.DataType)}.");
            }

            if (!declared.Accepts(input.Shape))
            {
                throw InferenceRequestException.BadRequest(
                    $"Input '{input.Name}' of model '{model.Name}' has shape {declared.ShapeText} (-1: any size); the request's is {TensorMetadata.Format(input.Shape)}.");
            }
        }

        foreach (TensorMetadata declared in model.Inputs)
        {
            if (!request.Inputs.Any(i => i.Name == declared.Name))
            {
                throw InferenceRequestException.BadRequest($"Model '{model.Name}' needs input '{declared.Name}' ({TensorDataTypes.Name(declared.DataType)} {declared.ShapeText}).");
            }
        }

        foreach (string output in request.Outputs ?? [])
        {
            if (Find(model.Outputs, output) is null)
            {
                throw InferenceRequestException.BadRequest(
                    $"Model '{model.Name}' has no output '{output}'; its outputs are {string.Join(", ", model.Outputs.Select(o => $"'{o.Name}'"))}.");
            }
        }
    }

    private static TensorMetadata? Find(IReadOnlyList<TensorMetadata> tensors, string name)
    {
        foreach (TensorMetadata tensor in tensors)
        {
            if (tensor.Name == name)
            {
                return tensor;
            }
        }

        return null;
    }
}
