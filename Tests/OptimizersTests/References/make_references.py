"""Reference trajectories for the optimizer tests, made with optax (float64).

Run once, from this folder:  pip install jax optax && python3 make_references.py
It writes optax_trajectories.json, which the Swift tests read (CI never runs this script).

Why optax and not torch.optim: PyTorch cannot be installed on these machines (its Linux
wheels on PyPI bring CUDA, and no other index is reachable). optax's transforms below are
configured to the same arithmetic as torch.optim's defaults: SGD momentum/Nesterov with the
buffer starting at g, Adam/AdamW with ε outside the square root of the bias-corrected second
moment (AdamW's decay multiplied by lr), RMSprop with `eps_in_sqrt=False` and no bias
correction, Adagrad as `scale_by_rss` with a zero initial accumulator (ε = 0 on both sides,
since optax puts ε inside the square root). Lion is optax's own, the paper's rule.
Not covered here (no reference implementation installable): SAM, Shampoo, Muon, Sophia;
their tests compute the first steps from the papers' equations by hand.
"""
import json

import jax
import jax.numpy as jnp
import optax

jax.config.update("jax_enable_x64", True)

STEPS = 100


def rosenbrock(p):
    return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2


X = jnp.array([[1.0, 0.5, -0.3], [0.2, -1.0, 0.8], [-0.7, 0.3, 1.1], [0.9, 0.9, 0.1], [-0.4, -0.6, -1.2]])
Y = jnp.array([[1.0, -1.0], [0.5, 0.2], [-0.3, 0.8], [1.2, 0.0], [-0.9, -0.4]])


def least_squares(w):
    """½·mean over rows of ‖x W − y‖², W of shape [3, 2]."""
    r = X @ w - Y
    return 0.5 * jnp.sum(r * r) / X.shape[0]


PROBLEMS = {
    "rosenbrock": (rosenbrock, jnp.array([-1.5, 2.0])),
    "leastSquares": (least_squares, jnp.array([[0.1, -0.2], [0.3, 0.0], [-0.1, 0.2]])),
}

OPTIMIZERS = {
    "sgd": optax.sgd(1e-3),
    "sgdMomentum": optax.sgd(1e-3, momentum=0.9),
    "sgdNesterov": optax.sgd(1e-3, momentum=0.9, nesterov=True),
    "sgdWeightDecay": optax.chain(optax.add_decayed_weights(0.1), optax.sgd(1e-3, momentum=0.9)),
    "sgdCosine": optax.sgd(optax.cosine_decay_schedule(init_value=1e-3, decay_steps=STEPS), momentum=0.9),
    "adam": optax.adam(0.01),
    "adamL2": optax.chain(optax.add_decayed_weights(0.1), optax.adam(0.01)),
    "adamW": optax.adamw(0.01, weight_decay=0.1),
    "lion": optax.lion(3e-3, weight_decay=0.1),
    "adagrad": optax.chain(optax.scale_by_rss(initial_accumulator_value=0.0, eps=0.0), optax.scale(-0.1)),
    "rmsprop": optax.rmsprop(1e-3, decay=0.99, eps=1e-8, eps_in_sqrt=False),
    "rmspropCenteredMomentum": optax.rmsprop(1e-3, decay=0.99, eps=1e-8, eps_in_sqrt=False, centered=True, momentum=0.9),
}


def trajectory(opt, f, start):
    params = start
    state = opt.init(params)
    points = [params.reshape(-1).tolist()]
    grad = jax.grad(f)
    for _ in range(STEPS):
        updates, state = opt.update(grad(params), state, params)
        params = optax.apply_updates(params, updates)
        points.append(params.reshape(-1).tolist())
    return points


runs = []
for pname, (f, start) in PROBLEMS.items():
    for oname, opt in OPTIMIZERS.items():
        runs.append({"problem": pname, "optimizer": oname, "shape": list(start.shape),
                     "points": trajectory(opt, f, start)})

with open("optax_trajectories.json", "w") as out:
    json.dump({"generator": f"optax {optax.__version__}, jax {jax.__version__}, float64",
               "steps": STEPS, "runs": runs}, out, indent=0)
print(f"{len(runs)} trajectories of {STEPS} steps")
