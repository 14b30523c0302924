using E2EDeploy.Shared.Refinement;
using E2EDeploy.Training.Channel;
using static TorchSharp.torch;

namespace E2EDeploy.Training.Networks;

/// <summary>
/// One Fisher-scoring step of the concentrated log-likelihood of y = alpha F^T a~(theta) + n with the gain alpha unknown
/// (docs/conventions.md points 3 and 13; the ML estimators eq. 11 and 12 maximise the same likelihood): with b = F^T a~(theta),
/// d = F^T da~/dtheta, alpha_hat = b^H y / ||b||^2 and r = y - alpha_hat b,
/// <code>
/// score       = Re(conj(alpha_hat) d^H r)                                   (the log-likelihood's gradient x sigma^2 / 2)
/// information = |alpha_hat|^2 (||d||^2 - |b^H d|^2 / ||b||^2)                 (the Fisher information x sigma^2 / 2)
/// correlation = |b^H y|^2 / ||b||^2                                          (eq. 11's objective)
/// </code>
/// theta + score / information is the scoring step; sigma^2 cancels. The one definition is the shared project's
/// FisherScoringRefinement (double precision, run by the inference runtime after the decoder), whose constants these
/// are and against which this TorchSharp form is tested. The ONNX exporter, when the steps go into the graph, computes the same formulas
/// (FisherScoringGraph, arranged as block products), and its export check holds the graph to these numbers. Inputs: y [B, 2T] (real parts, then imaginary
/// parts), F [B, 2, N_Tx, T], theta [B] in rad.
/// </summary>
public static class FisherScoring
{
    /// <summary>The largest AoD step, rad (5.7 deg): a step from a wrong basin never leaves it by far.</summary>
    public const float MaxAngleStepRad = (float)FisherScoringRefinement.MaxAngleStepRad;

    /// <summary>The largest position step per coordinate, m.</summary>
    public const float MaxPositionStepM = (float)FisherScoringRefinement.MaxPositionStepM;

    /// <summary>
    /// The position step's Levenberg-Marquardt damping mu: the 2 x 2 Fisher matrix J_p + mu trace(J_p) I. A well-posed
    /// step shrinks by at most 0.1 %, which the next step makes up; a near-singular one (a start in a wrong basin) stays
    /// bounded instead of amplifying float rounding.
    /// </summary>
    public const float PositionDamping = (float)FisherScoringRefinement.PositionDamping;

    /// <summary>The floor of the information (and of the position Fisher determinant) that keeps a step finite.</summary>
    public const float InformationFloor = (float)FisherScoringRefinement.InformationFloor;

    /// <summary>score, information and correlation at theta, each [B]; see the class summary.</summary>
    public static (Tensor Score, Tensor Information, Tensor Correlation) Terms(Tensor y, Tensor precoder, LearnedArray array, Tensor thetaRad)
    {
        ArgumentNullException.ThrowIfNull(array);
        using var scope = NewDisposeScope();
        long t = y.shape[1] / 2;
        Tensor yRe = y.narrow(1, 0, t);
        Tensor yIm = y.narrow(1, t, t);
        (Tensor bRe, Tensor bIm) = TorchChannel.Response(array.Steering(thetaRad), precoder);
        (Tensor dRe, Tensor dIm) = TorchChannel.Response(array.SteeringDerivative(thetaRad), precoder);
        Tensor bb = ((bRe * bRe) + (bIm * bIm)).sum(1);
        Tensor dd = ((dRe * dRe) + (dIm * dIm)).sum(1);
        Tensor bdRe = ((bRe * dRe) + (bIm * dIm)).sum(1);
        Tensor bdIm = ((bRe * dIm) - (bIm * dRe)).sum(1);
        Tensor byRe = ((bRe * yRe) + (bIm * yIm)).sum(1);
        Tensor byIm = ((bRe * yIm) - (bIm * yRe)).sum(1);
        Tensor aRe = byRe / bb;
        Tensor aIm = byIm / bb;
        Tensor rRe = yRe - ((aRe.unsqueeze(1) * bRe) - (aIm.unsqueeze(1) * bIm));
        Tensor rIm = yIm - ((aRe.unsqueeze(1) * bIm) + (aIm.unsqueeze(1) * bRe));
        Tensor drRe = ((dRe * rRe) + (dIm * rIm)).sum(1);
        Tensor drIm = ((dRe * rIm) - (dIm * rRe)).sum(1);
        Tensor score = (aRe * drRe) + (aIm * drIm);
        Tensor information = ((aRe * aRe) + (aIm * aIm)) * (dd - (((bdRe * bdRe) + (bdIm * bdIm)) / bb));
        Tensor correlation = ((byRe * byRe) + (byIm * byIm)) / bb;
        return (score.MoveToOuterDisposeScope(), information.MoveToOuterDisposeScope(), correlation.MoveToOuterDisposeScope());
    }

    /// <summary>The AoD scoring step, clipped to +/- <see cref="MaxAngleStepRad"/>, from theta, then projected onto [low, high]: [B], rad.</summary>
    public static Tensor AngleStep(Tensor y, Tensor precoder, LearnedArray array, Tensor thetaRad, Tensor low, Tensor high)
    {
        using var scope = NewDisposeScope();
        (Tensor score, Tensor information, _) = Terms(y, precoder, array, thetaRad);
        Tensor step = (score / information.clamp_min(InformationFloor)).clamp(-MaxAngleStepRad, MaxAngleStepRad);
        return maximum(minimum(thetaRad + step, high), low).MoveToOuterDisposeScope();
    }
}
