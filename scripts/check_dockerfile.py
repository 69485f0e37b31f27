#!/usr/bin/env python3
"""Checks the Dockerfile where no container engine runs: python3 scripts/check_dockerfile.py VERSION TARBALL

Reads the Dockerfile's instructions, runs its build stage's RUN steps on this machine in the
checkout (WORKDIR mapped to the checkout, the ARGs in the environment; the apt-get step only has
its package list checked, since the packages are already here), then checks that:
- the build stage is the official Swift image and runs scripts/release.sh with the version;
- the image stage is a slim Debian, copies exactly one file from the build stage, and that file,
  as the build stage left it, is byte for byte the `stockyard` of the release tarball;
- the image runs as a user other than root, with ENTRYPOINT ["stockyard"] on PATH.
"""
import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
import tarfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def instructions(text):
    """(keyword, argument) pairs, continuation lines joined and comments dropped."""
    out, current = [], ""
    for line in text.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        current += line
        keyword, _, argument = current.strip().partition(" ")
        out.append((keyword.upper(), argument.strip()))
        current = ""
    return out


def fail(message):
    print(f"check_dockerfile: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    version, tarball = sys.argv[1], sys.argv[2]
    steps = instructions(open(os.path.join(ROOT, "Dockerfile"), encoding="utf-8").read())

    global_args, stages = {}, []
    for keyword, argument in steps:
        if keyword == "FROM":
            image, _, name = argument.partition(" AS ")
            image = re.sub(r"\$\{(\w+)\}", lambda m: global_args.get(m.group(1), ""), image.strip())
            stages.append({"image": image, "name": name.strip(), "steps": []})
        elif not stages and keyword == "ARG":
            key, _, value = argument.partition("=")
            global_args[key] = value
        else:
            stages[-1]["steps"].append((keyword, argument))
    if len(stages) != 2:
        fail(f"expected two stages (build, image), found {len(stages)}")
    build, image = stages
    if not re.fullmatch(r"swift:[0-9.]+-\w+", build["image"]):
        fail(f"the build stage is {build['image']}, not the official Swift image")
    if not re.fullmatch(r"debian:\w+-slim", image["image"]):
        fail(f"the image stage is {image['image']}, not a slim Debian")

    # The build stage, run here. WORKDIR is mapped onto the checkout; COPY . . is the checkout.
    workdir, env, ran_release = None, dict(os.environ), False
    for keyword, argument in build["steps"]:
        if keyword == "WORKDIR":
            workdir = argument
        elif keyword == "COPY":
            if argument != ". .":
                fail(f"the build stage copies '{argument}', expected the checkout ('. .')")
        elif keyword == "ARG":
            key = argument.partition("=")[0]
            env[key] = version if key == "STOCKYARD_VERSION" else env.get(key, argument.partition("=")[2])
        elif keyword == "RUN" and argument.startswith("apt-get"):
            for package in ("libyaml-dev", "libsqlite3-dev"):
                if package not in argument.split():
                    fail(f"the build stage does not install {package}")
        elif keyword == "RUN":
            ran_release |= bool(re.search(r'(^|&& )scripts/release\.sh "\$STOCKYARD_VERSION"', argument))
            print(f"+ {argument}", flush=True)
            if subprocess.run(["/bin/sh", "-c", argument], cwd=ROOT, env=env).returncode != 0:
                fail(f"the build stage's step failed: RUN {argument}")
        else:
            fail(f"the build stage has {keyword}, which this check does not know how to run")
    if not ran_release:
        fail("the build stage does not run scripts/release.sh \"$STOCKYARD_VERSION\"")

    copies = [a for k, a in image["steps"] if k == "COPY"]
    if len(copies) != 1 or not copies[0].startswith(f"--from={build['name']} "):
        fail(f"the image stage should copy one file from the build stage, it copies {copies}")
    source, destination = copies[0].split()[1:]
    if not source.startswith(workdir + "/"):
        fail(f"the image copies {source}, outside the build stage's WORKDIR {workdir}")
    built = os.path.join(ROOT, os.path.relpath(source, workdir))
    with tarfile.open(os.path.join(ROOT, tarball)) as archive:
        released = archive.extractfile("stockyard").read()
    if hashlib.sha256(open(built, "rb").read()).digest() != hashlib.sha256(released).digest():
        fail(f"{source} is not the stockyard of {tarball}")
    if os.path.dirname(destination) not in ("/usr/local/bin", "/usr/bin"):
        fail(f"the binary goes to {destination}, not onto PATH")

    users = [a for k, a in image["steps"] if k == "USER"]
    if not users or users[-1] in ("root", "0") or users[-1].startswith(("root:", "0:")):
        fail(f"the image runs as {users[-1] if users else 'root'}")
    entrypoints = [a for k, a in image["steps"] if k == "ENTRYPOINT"]
    if not entrypoints or json.loads(entrypoints[-1]) != [os.path.basename(destination)]:
        fail(f"ENTRYPOINT is {entrypoints}, expected [\"stockyard\"]")
    print(f"Dockerfile: the build stage ran scripts/release.sh {version}; the image copies {source} "
          f"({len(released)} bytes, the tarball's binary) to {destination}, runs as {users[-1]}, "
          f"ENTRYPOINT {entrypoints[-1]}")


if __name__ == "__main__":
    main()
