"""Refresh the vendored conformance artifacts from their upstream sources at pinned versions.

    python conformance/refresh.py --karpenter 1.14.1 --vpc-cni 1.22.4 \\
      --karpenter-image-digest \\
      sha256:723130949e4cab989461ff07d1be4cd781d63515432494641b33c235f300ae23

What it writes (and nothing else), each file from the upstream commit that the version's tag
names:

- `crds/`: Karpenter's NodePool, NodeClaim and EC2NodeClass CRDs (aws/karpenter-provider-aws
  `pkg/apis/crds/`) and the ENIConfig CRD (aws/amazon-vpc-cni-k8s
  `charts/aws-vpc-cni/crds/customresourcedefinition.yaml`, renamed after its CRD).
- `charts/karpenter/`: the Karpenter chart as its release packages it: `charts/karpenter` at
  the tag, the CRD symlinks resolved, and the three edits of the release script
  (`hack/release/common.sh`): Chart.yaml `version` and `appVersion`, values.yaml
  `controller.image.tag` and `controller.image.digest` (the published controller image's
  digest: given with `--karpenter-image-digest`, else asked of the public ECR registry).
- `charts/aws-vpc-cni-<version>.tgz`: the chart archive published by aws/eks-charts (its
  `gh-pages` branch is the Helm repository), checked against the repository's index.yaml digest.
- `sources.json`: what came from where (repository, tag, commit, URL, sha256 of each file);
  the README's table is regenerated from it.

Online it reads GitHub (api.github.com, raw.githubusercontent.com) and public.ecr.aws. Offline,
`--clone OWNER/NAME=PATH` reads a local clone (or bare mirror) of that repository instead.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

HERE = Path(__file__).resolve().parent
KARPENTER_REPO = "aws/karpenter-provider-aws"
VPC_CNI_REPO = "aws/amazon-vpc-cni-k8s"
EKS_CHARTS_REPO = "aws/eks-charts"
EKS_CHARTS_BRANCH = "gh-pages"
KARPENTER_CRDS = (
    "karpenter.sh_nodepools.yaml",
    "karpenter.sh_nodeclaims.yaml",
    "karpenter.k8s.aws_ec2nodeclasses.yaml",
)
ENICONFIG_CRD = "charts/aws-vpc-cni/crds/customresourcedefinition.yaml"
ENICONFIG_NAME = "crd.k8s.amazonaws.com_eniconfigs.yaml"
KARPENTER_IMAGE = "karpenter/controller"
README_BEGIN = "<!-- sources:begin (written by refresh.py) -->"
README_END = "<!-- sources:end -->"


class Source(Protocol):
    """One upstream Git repository."""

    repo: str

    def commit(self, ref: str) -> str:
        """The commit a tag or branch names."""
        ...

    def tree(self, commit: str, prefix: str) -> list[tuple[str, str]]:
        """(path, git mode) of every file under `prefix` at `commit`."""
        ...

    def blob(self, commit: str, path: str) -> bytes:
        """A regular file's bytes."""
        ...

    def link_target(self, commit: str, path: str) -> str:
        """A symlink's target (its blob: a path relative to the link's folder)."""
        ...

    def url(self, commit: str, path: str) -> str: ...


def _get(url: str, headers: dict[str, str] | None = None, method: str = "GET") -> bytes:
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    with urllib.request.urlopen(request, timeout=60) as response:
        body: bytes = response.read()
        return body


@dataclass
class GitHub:
    """A repository read through GitHub's REST API (api.github.com) and raw file host."""

    repo: str
    _trees: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def commit(self, ref: str) -> str:
        api = f"https://api.github.com/repos/{self.repo}/commits/{ref}"
        return _get(api, {"Accept": "application/vnd.github.sha"}).decode().strip()

    def _tree(self, commit: str) -> list[dict[str, Any]]:
        if commit not in self._trees:
            api = f"https://api.github.com/repos/{self.repo}/git/trees/{commit}?recursive=1"
            listing = json.loads(_get(api, {"Accept": "application/vnd.github+json"}))
            if listing.get("truncated"):
                sys.exit(f"{self.repo}: GitHub truncated the tree of {commit}; use --clone")
            self._trees[commit] = [e for e in listing["tree"] if e["type"] == "blob"]
        return self._trees[commit]

    def tree(self, commit: str, prefix: str) -> list[tuple[str, str]]:
        return [(e["path"], e["mode"]) for e in self._tree(commit) if e["path"].startswith(prefix)]

    def blob(self, commit: str, path: str) -> bytes:
        return _get(self.url(commit, path))

    def link_target(self, commit: str, path: str) -> str:
        sha = next(e["sha"] for e in self._tree(commit) if e["path"] == path)
        api = f"https://api.github.com/repos/{self.repo}/git/blobs/{sha}"
        return _get(api, {"Accept": "application/vnd.github.raw+json"}).decode()

    def url(self, commit: str, path: str) -> str:
        return f"https://raw.githubusercontent.com/{self.repo}/{commit}/{path}"


@dataclass
class Clone:
    """A repository read from a local clone or bare mirror (`git -C`)."""

    repo: str
    path: Path

    def _git(self, *args: str) -> bytes:
        command = ["git", "-C", str(self.path), *args]
        return subprocess.run(command, check=True, capture_output=True).stdout

    def commit(self, ref: str) -> str:
        return self._git("rev-parse", f"{ref}^{{commit}}").decode().strip()

    def tree(self, commit: str, prefix: str) -> list[tuple[str, str]]:
        out = self._git("ls-tree", "-r", "-z", commit, "--", prefix).decode()
        entries = []
        for line in filter(None, out.split("\0")):
            meta, path = line.split("\t", 1)
            mode, kind, _ = meta.split()
            if kind == "blob":
                entries.append((path, mode))
        return entries

    def blob(self, commit: str, path: str) -> bytes:
        return self._git("cat-file", "blob", f"{commit}:{path}")

    def link_target(self, commit: str, path: str) -> str:
        return self.blob(commit, path).decode()

    def url(self, commit: str, path: str) -> str:
        return f"https://raw.githubusercontent.com/{self.repo}/{commit}/{path}"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_blob(source: Source, commit: str, path: str, mode: str) -> tuple[str, bytes]:
    """A file's path and content, following symlinks (mode 120000) to the file they name."""
    for _ in range(8):
        if mode != "120000":
            return path, source.blob(commit, path)
        target = source.link_target(commit, path)
        path = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
        found = dict(source.tree(commit, path)).get(path)
        if found is None:
            sys.exit(f"{source.repo}: a symlink names {path}, which is not a file at {commit}")
        mode = found
    sys.exit(f"{source.repo}: symlink loop at {path}")


def _set_top_level(text: str, key: str, value: str) -> str:
    """`yq e -i '.key = "value"'` for a top-level scalar, keeping every other line."""
    new, count = re.subn(rf"(?m)^{key}:.*$", f"{key}: {value}", text, count=1)
    if count != 1:
        sys.exit(f"Chart.yaml has no top-level {key}")
    return new


def _set_controller_image(text: str, tag: str, digest: str) -> str:
    """The release script's `.controller.image.tag` and `.controller.image.digest` edits."""
    lines = text.split("\n")
    path: list[tuple[int, str]] = []  # (indent, key) of the mapping keys above the line
    done: set[str] = set()
    for i, line in enumerate(lines):
        match = re.match(r"^( *)([A-Za-z0-9_]+):", line)
        if not match:
            continue
        indent, key = len(match.group(1)), match.group(2)
        path = [p for p in path if p[0] < indent] + [(indent, key)]
        keys = [k for _, k in path]
        for leaf, value in (("tag", tag), ("digest", digest)):
            if keys == ["controller", "image", leaf] and leaf not in done:
                lines[i] = f"{match.group(1)}{leaf}: {value}"
                done.add(leaf)
    if done != {"tag", "digest"}:
        sys.exit("values.yaml: controller.image.tag/digest not found")
    new = "\n".join(lines)
    image = yaml.safe_load(new)["controller"]["image"]
    if (str(image["tag"]), image["digest"]) != (tag, digest):
        sys.exit("values.yaml: the controller image edit did not take")
    return new


def _published_image_digest(version: str) -> str:
    """The digest public.ecr.aws serves for karpenter/controller:<version> (the image index),
    asked the way any registry client does: an anonymous pull token from the realm that the
    registry's 401 challenge names, then a HEAD of the manifest."""
    manifest = f"https://public.ecr.aws/v2/{KARPENTER_IMAGE}/manifests/{version}"
    accept = ", ".join(
        [
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json",
        ]
    )
    try:
        _get(manifest, {"Accept": accept}, method="HEAD")
        sys.exit(f"{manifest}: expected a 401 challenge")
    except urllib.error.HTTPError as challenge:
        if challenge.code != 401:
            raise
        params = dict(re.findall(r'(\w+)="([^"]*)"', challenge.headers.get("WWW-Authenticate", "")))
    query = urllib.parse.urlencode(
        {"service": params.get("service", ""), "scope": f"repository:{KARPENTER_IMAGE}:pull"}
    )
    token = json.loads(_get(f"{params['realm']}?{query}"))["token"]
    request = urllib.request.Request(
        manifest, method="HEAD", headers={"Authorization": f"Bearer {token}", "Accept": accept}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        digest: str = response.headers["Docker-Content-Digest"]
    return digest


def _write(out: Path, relative: str, data: bytes) -> dict[str, str]:
    target = out / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return {"path": relative, "sha256": _sha256(data)}


def refresh_karpenter(
    source: Source, version: str, image_digest: str, out: Path
) -> list[dict[str, Any]]:
    tag = f"v{version}"
    commit = source.commit(tag)
    entries: list[dict[str, Any]] = []
    for name in KARPENTER_CRDS:
        path = f"pkg/apis/crds/{name}"
        written = _write(out, f"crds/{name}", source.blob(commit, path))
        entries.append(
            {
                "artifact": f"Karpenter CRD {name}",
                "repo": source.repo,
                "ref": tag,
                "commit": commit,
                "url": source.url(commit, path),
                **written,
            }
        )
    chart_root = "charts/karpenter/"
    files = []
    for path, mode in sorted(source.tree(commit, chart_root)):
        real_path, data = _file_blob(source, commit, path, mode)
        relative = path.removeprefix(chart_root)
        if relative == "Chart.yaml":
            text = data.decode()
            text = _set_top_level(text, "version", version)
            text = _set_top_level(text, "appVersion", version)
            data = text.encode()
        elif relative == "values.yaml":
            data = _set_controller_image(data.decode(), version, image_digest).encode()
        written = _write(out, f"charts/karpenter/{relative}", data)
        if real_path != path:
            written["from"] = real_path
        files.append(written)
    entries.append(
        {
            "artifact": f"Karpenter chart {version}",
            "repo": source.repo,
            "ref": tag,
            "commit": commit,
            "url": source.url(commit, chart_root),
            "edits": {
                "Chart.yaml": {"version": version, "appVersion": version},
                "values.yaml": {
                    "controller.image.tag": version,
                    "controller.image.digest": image_digest,
                },
            },
            "path": "charts/karpenter/",
            "files": files,
        }
    )
    return entries


def refresh_eniconfig(source: Source, version: str, out: Path) -> list[dict[str, Any]]:
    tag = f"v{version}"
    commit = source.commit(tag)
    written = _write(out, f"crds/{ENICONFIG_NAME}", source.blob(commit, ENICONFIG_CRD))
    return [
        {
            "artifact": "ENIConfig CRD",
            "repo": source.repo,
            "ref": tag,
            "commit": commit,
            "url": source.url(commit, ENICONFIG_CRD),
            **written,
        }
    ]


def refresh_vpc_cni_chart(source: Source, version: str, out: Path) -> list[dict[str, Any]]:
    commit = source.commit(EKS_CHARTS_BRANCH)
    name = f"aws-vpc-cni-{version}.tgz"
    index = yaml.safe_load(source.blob(commit, "index.yaml"))
    published = [e for e in index["entries"]["aws-vpc-cni"] if str(e["version"]) == version]
    if not published:
        sys.exit(f"{source.repo}: no aws-vpc-cni chart {version} in index.yaml")
    data = source.blob(commit, name)
    if _sha256(data) != published[0]["digest"]:
        sys.exit(f"{name}: sha256 differs from the digest in index.yaml")
    written = _write(out, f"charts/{name}", data)
    return [
        {
            "artifact": f"aws-vpc-cni chart {version}",
            "repo": source.repo,
            "ref": EKS_CHARTS_BRANCH,
            "commit": commit,
            "url": published[0]["urls"][0],
            **written,
        }
    ]


def _readme_table(entries: list[dict[str, Any]]) -> str:
    rows = [
        "| artifact | vendored as | upstream | ref | commit |",
        "|---|---|---|---|---|",
    ]
    for e in entries:
        rows.append(
            f"| {e['artifact']} | `{e['path']}` | {e['repo']} | {e['ref']} | `{e['commit']}` |"
        )
    return "\n".join(rows)


def _update_readme(readme: Path, entries: list[dict[str, Any]]) -> None:
    text = readme.read_text()
    start, end = text.index(README_BEGIN), text.index(README_END)
    table = _readme_table(entries)
    readme.write_text(text[: start + len(README_BEGIN)] + "\n" + table + "\n" + text[end:])


def _source(repo: str, clones: dict[str, Path]) -> Source:
    return Clone(repo, clones[repo]) if repo in clones else GitHub(repo)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--karpenter", default="1.14.1", help="Karpenter version (tag without v)")
    ap.add_argument("--vpc-cni", default="1.22.4", help="VPC CNI version (tag without v)")
    ap.add_argument(
        "--karpenter-image-digest",
        help="published controller image digest (default: asked of public.ecr.aws)",
    )
    ap.add_argument(
        "--clone",
        action="append",
        default=[],
        metavar="OWNER/NAME=PATH",
        help="read this repository from a local clone instead of GitHub",
    )
    ap.add_argument("--out", type=Path, default=HERE, help="folder to write (default: here)")
    a = ap.parse_args(argv)
    clones = {k: Path(v) for k, v in (c.split("=", 1) for c in a.clone)}
    digest = a.karpenter_image_digest or _published_image_digest(a.karpenter)
    if not re.fullmatch(r"sha256:[0-9a-f]{64}", digest):
        sys.exit(f"not an image digest: {digest}")
    out: Path = a.out
    # crds/ and charts/ are written whole to a scratch folder, then replace the old ones: a
    # failed download changes nothing, and a file upstream dropped does not linger.
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        entries = [
            *refresh_karpenter(_source(KARPENTER_REPO, clones), a.karpenter, digest, work),
            *refresh_eniconfig(_source(VPC_CNI_REPO, clones), a.vpc_cni, work),
            *refresh_vpc_cni_chart(_source(EKS_CHARTS_REPO, clones), a.vpc_cni, work),
        ]
        for sub in ("crds", "charts"):
            shutil.rmtree(out / sub, ignore_errors=True)
            shutil.copytree(work / sub, out / sub)
    (out / "sources.json").write_text(json.dumps(entries, indent=2) + "\n")
    if (out / "README.md").exists():
        _update_readme(out / "README.md", entries)
    for e in entries:
        print(f"{e['artifact']}: {e['repo']}@{e['ref']} ({e['commit'][:12]}) -> {e['path']}")


if __name__ == "__main__":
    main()
