"""What every benchmark run does before and after measuring: sizes from the command line,
enough file descriptors, and a work folder that is removed unless kept."""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, replace
from pathlib import Path
from typing import TypeVar

SizesT = TypeVar("SizesT")


def sizes_from_args(base: SizesT, args: argparse.Namespace) -> SizesT:
    """`base` (a dataclass of sizes) with every field the command line gave replaced."""
    chosen = {key: getattr(args, key, None) for key in asdict(base)}
    return replace(base, **{key: value for key, value in chosen.items() if value is not None})


def raise_fd_limit(needed: int) -> None:
    """Each socket is one descriptor here and one in the server (which inherits this limit):
    raise the soft limit to the hard one, and stop when even that is too few."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, needed + 1024)
    resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    if wanted < needed + 256:
        raise SystemExit(f"need {needed + 256} file descriptors, the hard limit is {hard}")


@contextmanager
def work_folder(prefix: str, *, keep: bool) -> Iterator[Path]:
    """A fresh temporary folder for databases and logs; removed at the end unless `keep`."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield folder
    finally:
        if keep:
            print(f"Work folder kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
