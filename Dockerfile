# The Stockyard container image: the release binary on a slim Debian base, run as a non-root user.
#
#   docker build --build-arg STOCKYARD_VERSION=0.2.0 -t stockyard:0.2.0 .
#   docker run --rm -v "$PWD:/work" -e STOCKYARD_STATE stockyard:0.2.0 plan
#
# The build stage runs scripts/release.sh, the same build as the release tarball, and the image
# gets the binary from that tarball: the container runs exactly what the download holds.
# scripts/check-release.sh runs this build stage's steps on the host and checks what it copies.

ARG SWIFT_IMAGE=swift:6.3.1-bookworm
ARG BASE_IMAGE=debian:bookworm-slim

FROM ${SWIFT_IMAGE} AS build
# The static archives libyaml.a, libsqlite3.a and libz.a come with Debian's -dev packages.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libyaml-dev libsqlite3-dev zlib1g-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The whole checkout, .git included: the release names the commit it was built from.
COPY . .
ARG STOCKYARD_VERSION
RUN test -n "$STOCKYARD_VERSION" || { echo "build with --build-arg STOCKYARD_VERSION=X.Y.Z (the version in the source)" >&2; exit 1; }
RUN scripts/release.sh "$STOCKYARD_VERSION" \
 && rm -rf dist/image && mkdir -p dist/image \
 && tar -xzf "dist/stockyard-$STOCKYARD_VERSION-linux-$(uname -m).tar.gz" -C dist/image

FROM ${BASE_IMAGE}
# CA certificates, the one thing beside glibc the binary uses: the trust roots for Shopify's HTTPS
# and PostgreSQL's sslmode=verify-full.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /work --no-create-home stockyard \
 && mkdir /work && chown stockyard:stockyard /work
COPY --from=build /src/dist/image/stockyard /usr/local/bin/stockyard
USER stockyard
WORKDIR /work
ENTRYPOINT ["stockyard"]
CMD ["--help"]
