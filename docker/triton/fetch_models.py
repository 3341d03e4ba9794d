"""Fills Triton's model cache from an S3 prefix, once.

    fetch_models.py s3://bucket/prefix CACHE_DIR

The objects under the prefix are copied to CACHE_DIR with their relative paths (a Triton repository
layout: pp_doclayout/1/model.onnx, ...). A marker file records the source once every object is in
place; a later start with the same source downloads nothing. Replicas sharing one volume take a lock,
so only one downloads. Endpoint and credentials: the usual AWS variables (AWS_ENDPOINT_URL for MinIO).
"""

import fcntl
import json
import os
import pathlib
import sys

import boto3


def main(source: str, cache: pathlib.Path) -> int:
    if not source.startswith("s3://"):
        print(f"fetch_models: expected s3://bucket/prefix, got {source!r}", file=sys.stderr)
        return 2
    bucket, _, prefix = source[len("s3://") :].partition("/")
    prefix = prefix.strip("/")
    cache.mkdir(parents=True, exist_ok=True)
    marker = cache / ".roche-complete"
    with open(cache / ".roche-lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if marker.exists() and json.loads(marker.read_text()).get("source") == source:
            print(f"fetch_models: cache already filled from {source}")
            return 0
        s3 = boto3.client("s3", endpoint_url=os.environ.get("AWS_ENDPOINT_URL") or None)
        files = []
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=f"{prefix}/" if prefix else ""):
            for obj in page.get("Contents", []):
                rel = obj["Key"][len(prefix) :].lstrip("/") if prefix else obj["Key"]
                if not rel or rel.endswith("/"):
                    continue
                dest = cache / rel
                if cache.resolve() not in dest.resolve().parents:
                    print(f"fetch_models: refusing key outside the cache: {obj['Key']}", file=sys.stderr)
                    return 1
                dest.parent.mkdir(parents=True, exist_ok=True)
                part = dest.with_name(dest.name + ".part")
                s3.download_file(bucket, obj["Key"], str(part))
                os.replace(part, dest)
                files.append({"path": rel, "size": obj["Size"], "etag": obj["ETag"]})
        if not files:
            print(f"fetch_models: nothing under {source}", file=sys.stderr)
            return 1
        marker.write_text(json.dumps({"source": source, "files": files}, indent=2))
        print(f"fetch_models: {len(files)} files from {source} into {cache}")
        return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], pathlib.Path(sys.argv[2])))
