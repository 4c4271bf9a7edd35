// Landscape: the instruments of the course — slices, sharpness, Hessian spectra, critical points, paths.
