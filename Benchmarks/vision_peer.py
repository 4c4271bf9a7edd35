#!/usr/bin/env python3
"""PyTorch on the shapes of engine-bench's vision rows (float64, 2 threads).
Usage: python vision_peer.py  -> one JSON list of {name, median_s, min_s} on stdout.
Timing as ../shared/peers/bench_numeric.py: 3 warm-up calls, then 20 samples, median and min.
Shapes: an MLP 784->256->10 on a batch of 128 flattened 28x28 images; the ConvNet of
Sources/Models/Networks/ConvNet.swift with widths [8, 16], one residual block per stage,
batch norm, on a batch of 32 28x28 images. A train step is forward, backward and an SGD
update; an HVP is one Hessian-vector product by double backward (batch norm in eval mode)."""
import json, statistics, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(2)
torch.set_default_dtype(torch.float64)
torch.manual_seed(0)
NS = 20


def bench(name, fn, warm=3):
    for _ in range(warm):
        fn()
    s = []
    for _ in range(NS):
        t = time.perf_counter(); fn(); s.append(time.perf_counter() - t)
    return dict(name=name, median_s=statistics.median(s), min_s=min(s))


class Unit(nn.Module):
    def __init__(self, i, o, stride=1):
        super().__init__()
        self.conv = nn.Conv2d(i, o, 3, stride, 1, bias=False)
        self.norm = nn.BatchNorm2d(o)

    def forward(self, x):
        return self.norm(self.conv(x))


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.a, self.b = Unit(c, c), Unit(c, c)

    def forward(self, x):
        return F.relu(x + self.b(F.relu(self.a(x))))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem, self.b0 = Unit(1, 8), Block(8)
        self.down, self.b1 = Unit(8, 16, 2), Block(16)
        self.head = nn.Linear(16, 10)

    def forward(self, x):
        h = self.b0(F.relu(self.stem(x)))
        h = self.b1(F.relu(self.down(h)))
        return self.head(h.mean((2, 3)))


def step_fn(model, x, y):
    opt = torch.optim.SGD(model.parameters(), lr=0.01)

    def step():
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        opt.step()
    return step


def hvp_fn(model, x, y):
    params = [p for p in model.parameters()]
    v = [torch.randn_like(p) for p in params]

    def hvp():
        g = torch.autograd.grad(F.cross_entropy(model(x), y), params, create_graph=True)
        return torch.autograd.grad(g, params, grad_outputs=v)
    return hvp


rows = []
mlp = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
xm, ym = torch.randn(128, 784), torch.randint(0, 10, (128,))
rows.append(bench("fmnist mlp train step", step_fn(mlp, xm, ym)))
rows.append(bench("fmnist mlp hvp", hvp_fn(mlp, xm, ym)))
cnn = Net()
xc, yc = torch.randn(32, 1, 28, 28), torch.randint(0, 10, (32,))
cnn.train()
rows.append(bench("fmnist cnn train step", step_fn(cnn, xc, yc)))
cnn.eval()
rows.append(bench("fmnist cnn hvp", hvp_fn(cnn, xc, yc)))
json.dump(rows, sys.stdout)
print()
