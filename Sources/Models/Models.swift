// Models: analytic test functions, losses, layers, models and datasets made in code.
