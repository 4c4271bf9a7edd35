// Landscape: the instruments of the course, each the published method, exact where it can be.
//
// Curvature (Hessian/)      Hessian(of: loss, at: w) — exact Hessian-vector products; Lanczos top
//                           and bottom eigenpairs with full reorthogonalization, PyHessian's power
//                           iteration, Hutchinson's trace, the spectral density by stochastic
//                           Lanczos quadrature, the dense spectrum and its degeneracy counts.
// Critical points           CriticalPoints.find / .classify — damped Newton on ∇f from a grid of
//   (CriticalPoints/)       starts, classified by the Hessian's eigenvalue signs; BasinMap — which
//                           minimum GD reaches from each start.
// Slices (Slices/)          LossSlice (interpolation, along a direction), LossPlane with
//                           filter-normalized directions, TrajectoryDirections (PCA of a path).
// Paths (Paths/)            barrier(from:to:), BezierCurve.train, uniformSoup / greedySoup.
// Sharpness (Sharpness/)    random-perturbation, SAM / ASAM, Keskar's box.
// Dynamics (Dynamics/)      trackEdgeOfStability, GradientNoise, plateaus(inGradientNorms:).
// Symmetry (Symmetry/)      MLP.rescaled (Dinh et al.), MLP.permutingHiddenUnits.
//
// Every result is a plain value (grids as arrays laid out like Plotting's `Field`), every random
// choice takes a seed, and parameter vectors are flat in `ParameterLayout` order.
