using E2EDeploy.Shared.Models;
using E2EDeploy.Training.Networks;
using E2EDeploy.Training.Onnx.Proto;
using Google.Protobuf;

namespace E2EDeploy.Training.Onnx;

/// <summary>
/// A model that exposes <see cref="FisherScoringGraph.Terms"/> of one BS as its outputs, so that tests can hold the graph form of
/// the steering vector and the Fisher information against the shared physics. Inputs y [N, 2T], precoder [N, 2, Ntx, T] and
/// theta [N] (rad); outputs score, information and correlation, each [N]. Not a deployable model.
/// </summary>
internal static class FisherScoringGraphProbe
{
    /// <summary>The probe's ONNX bytes for <paramref name="array"/> (its constants become initializers).</summary>
    public static byte[] Build(int antennaCount, int transmissionCount, LearnedArray array)
    {
        var builder = new OnnxGraphBuilder("fisher_scoring_probe");
        const long N = ModelContract.BatchDimension;
        string y = builder.Input(new TensorContract("y", [N, 2 * transmissionCount], "observation"));
        string precoder = builder.Input(new TensorContract("precoder", [N, 2, antennaCount, transmissionCount], "F"));
        string theta = builder.Input(new TensorContract("theta", [N], "angle, rad"));
        var graph = new FisherScoringGraph(builder, antennaCount, transmissionCount);
        (string score, string information, string correlation) = graph.Terms(graph.Observation(y, 0), graph.ChannelOf(precoder, array, "probe_"), graph.AsColumn(theta));
        foreach ((string name, string value) in new[] { ("score", score), ("information", information), ("correlation", correlation) })
        {
            graph.Flat(value, name);
            builder.Output(new TensorContract(name, [N], name));
        }

        var model = new ModelProto { IrVersion = ModelContract.IrVersion, ProducerName = "E2EDeploy", Graph = builder.Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = ModelContract.Opset });
        return model.ToByteArray();
    }
}
