"""One module per CLI command group; each exposes `register(subparsers)`.

`register` adds its sub-parser(s) and sets `func` to a callable taking the parsed
arguments and returning the exit code. The modules stay thin: the work is in core/.
"""
