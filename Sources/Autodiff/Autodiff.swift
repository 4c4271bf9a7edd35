// Autodiff: dense Double tensors on OpenBLAS, reverse-mode autodiff, exact Hessian-vector products.
