// Optimizers: one small protocol, the papers' update rules, composable like optax.
