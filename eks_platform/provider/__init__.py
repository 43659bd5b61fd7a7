"""The multi-language face: the components as a Pulumi package (`eks-platform:index:*`).

`python -m eks_platform.provider schema` prints the package schema; `generate-args` rewrites
the TypedDict args from the settings models. The plugin (`plugin/`) serves `host.Provider`.
"""
