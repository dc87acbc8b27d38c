"""Makes the TorchScript fixture of TorchScriptImportTest, once, with Debian's python3-torch:

    /usr/bin/python3 make_fixture.py

It writes a tiny 3D segmenter (2 channels in, 3 classes out: convolution, instance norm, leaky ReLU, a strided
convolution, trilinear upsampling and a skip connection, as in a small U-Net) as TorchScript, a seeded input
window and PyTorch's own logits for it (raw little-endian float32, N x C x D x H x W), so that CI can check that
VolSeg runs a TorchScript model as PyTorch does without installing PyTorch.
"""
import numpy as np
import torch
from torch import nn


class TinySegmenter(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv3d(2, 8, 3, padding=1)
        self.norm = nn.InstanceNorm3d(8, affine=True)
        self.down = nn.Conv3d(8, 8, 3, stride=2, padding=1)
        self.up = nn.Upsample(scale_factor=2, mode="trilinear", align_corners=False)
        self.head = nn.Conv3d(16, 3, 1)
        self.act = nn.LeakyReLU(0.01)

    def forward(self, x):
        skip = self.act(self.norm(self.stem(x)))
        deep = self.up(self.act(self.down(skip)))
        return self.head(torch.cat([skip, deep], dim=1))


torch.manual_seed(20261201)
model = TinySegmenter().eval()
with torch.no_grad():
    for p in model.parameters():
        p.add_(0.1 * torch.randn_like(p))  # instance norm starts at weight 1, bias 0: make it count
scripted = torch.jit.script(model)
scripted.save("tiny_segmenter.ts")

generator = torch.Generator().manual_seed(7)
window = torch.randn(2, 2, 16, 16, 16, generator=generator)
with torch.no_grad():
    logits = scripted(window)
window.numpy().astype("<f4").tofile("window.f32")
logits.numpy().astype("<f4").tofile("logits.f32")
print("torch", torch.__version__, "logits", tuple(logits.shape), "mean", float(logits.mean()))
