using E2EDeploy.Shared;
using TorchSharp;

namespace E2EDeploy.Training;

/// <summary>Resolves --device to a TorchSharp device, failing clearly when CUDA is asked for and not there.</summary>
public static class TorchDevices
{
    /// <summary>cpu or cuda (the latter needs a build with -p:TorchCuda=true and an NVIDIA GPU).</summary>
    public static torch.Device Resolve(string name) => name switch
    {
        "cpu" => torch.CPU,
        "cuda" when torch.cuda.is_available() => torch.CUDA,
        "cuda" => throw new InvalidSettingException(
            "Device", "cuda", "a device this build can use: CUDA is not available. This build references TorchSharp-cpu; build with "
            + "'dotnet build -p:TorchCuda=true' (which references TorchSharp-cuda-linux or TorchSharp-cuda-windows) on a machine with an NVIDIA GPU and driver"),
        _ => throw new InvalidSettingException("Device", $"'{name}'", "cpu or cuda"),
    };
}
