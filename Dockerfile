# syntax=docker/dockerfile:1
#
# tieout in a container:
#
#   docker build -t tieout .
#   docker run --rm -v "$PWD:/data" tieout check /data
#
# The image holds the release binary only (no toolchain, no sources) and runs
# it as an unprivileged user in /data, where the releases to check are mounted.

FROM rust:1-slim-bookworm AS builder
WORKDIR /src
# What `cargo build` reads: the manifest and lock file, the sources, the rule
# pack embedded with include_str! (rules/*.yaml), the bench target the
# manifest declares (benches/parse.rs), and the build settings of
# .cargo/config.toml (the inlining threshold). tests/recipes.rs checks that
# these paths are in the repository and that cargo builds from them alone.
COPY Cargo.toml Cargo.lock ./
COPY .cargo/ .cargo/
COPY src/ src/
COPY rules/ rules/
COPY benches/ benches/
RUN cargo build --release --locked --bin tieout \
 && cp target/release/tieout /usr/local/bin/tieout

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin tieout
COPY --from=builder /usr/local/bin/tieout /usr/local/bin/tieout
USER tieout
WORKDIR /data
ENTRYPOINT ["tieout"]
CMD ["check", "."]
