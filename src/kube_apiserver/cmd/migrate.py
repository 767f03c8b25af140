"""kube-apiserver-migrate: copy every object from one store into another.

    kube-apiserver-migrate --from=sqlite --data-dir=DIR --to=etcd3 --etcd-servers=http://127.0.0.1:2379
    kube-apiserver-migrate --from=etcd3 --etcd-servers=http://127.0.0.1:2379 --to=sqlite --data-dir=DIR

Run it with the API servers stopped. Objects keep their keys, names, uids and contents; their
resourceVersions become the destination's revisions (clients re-list, as after an etcd
restore). The etcd flags (prefix, TLS, --encryption-provider-config) mean what they mean
to kube-apiserver. The destination must be empty (under its prefix): nothing is overwritten.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sys
from pathlib import Path

from kube_apiserver.cmd.options.storage import BACKENDS, StorageOptions
from kube_apiserver.storage.interface import Storage, StorageError

ROOT = "/registry/"


class DestinationNotEmptyError(Exception):
    pass


PAGE = 500


async def copy(source: Storage, destination: Storage) -> int:
    """Copy the latest version of every key under /registry/; returns how many."""
    if (await destination.list(ROOT, limit=1)).items:
        raise DestinationNotEmptyError()
    copied, after = 0, ""
    while True:
        page = await source.list(ROOT, start_after=after, limit=PAGE)
        for item in page.items:
            await destination.create(item.key, item.obj)
            copied += 1
        if not page.more or not page.items:
            return copied
        after = page.items[-1].key


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kube-apiserver-migrate", description=__doc__.split("\n\n")[0])
    p.add_argument("--from", dest="source", choices=BACKENDS, required=True)
    p.add_argument("--to", dest="destination", choices=BACKENDS, required=True)
    StorageOptions.add_flags(p)
    return p


async def _run(source_opts: StorageOptions, destination_opts: StorageOptions) -> int:
    from kube_apiserver.cmd.run import build_storage

    assert source_opts.data_dir is not None
    source = await build_storage(source_opts, source_opts.data_dir)
    source_opts.data_dir.mkdir(parents=True, exist_ok=True)  # a new SQLite destination
    destination = await build_storage(destination_opts, source_opts.data_dir)
    try:
        return await copy(source, destination)
    finally:
        await source.close()
        await destination.close()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.source == args.destination:
        print("Error: --from and --to must name different backends", file=sys.stderr)
        return 2
    fields = {f.name for f in dataclasses.fields(StorageOptions)}
    base = StorageOptions(**{k: v for k, v in vars(args).items() if k in fields})
    sides = []
    for backend in (args.source, args.destination):
        opts = dataclasses.replace(base, storage_backend=backend)
        if backend == "sqlite":
            opts.encryption_provider_config = ""  # encryption applies to the etcd side
        opts.complete()
        errs = opts.validate()
        if errs:
            print("Error: " + "; ".join(errs), file=sys.stderr)
            return 2
        sides.append(opts)
    db = Path(sides[0].data_dir or ".") / "kube.db"
    if args.source == "sqlite" and not db.is_file():
        print(f"Error: no SQLite store at {db}", file=sys.stderr)
        return 2
    try:
        copied = asyncio.run(_run(sides[0], sides[1]))
    except DestinationNotEmptyError:
        print(
            "Error: the destination already holds objects; it was left as it was", file=sys.stderr
        )
        return 1
    except StorageError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    print(f"copied {copied} objects from {args.source} to {args.destination}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
