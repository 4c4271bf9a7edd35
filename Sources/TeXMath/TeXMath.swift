// TeXMath: the TeX subset an optimization course writes, converted to MathML Core.
