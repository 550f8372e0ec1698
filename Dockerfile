# syntax=docker/dockerfile:1
# Build: docker build -t polywire .
# Run:   docker run -p 8080:8080 -v polywire-data:/var/lib/polywire polywire

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY benches ./benches
RUN cargo build --release --locked --bin polywire && strip target/release/polywire

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/polywire polywire \
 && mkdir -p /etc/polywire /var/lib/polywire \
 && chown polywire /var/lib/polywire
COPY --from=build /src/target/release/polywire /usr/local/bin/polywire
COPY config /etc/polywire
COPY feeds /etc/polywire/feeds
# Listen on all interfaces inside the container, keep data in the volume.
RUN sed -i \
      -e 's|^listen = .*|listen = "0.0.0.0:8080"|' \
      -e 's|^path = ".*polywire.db"|path = "/var/lib/polywire/polywire.db"|' \
      -e 's|^feeds = .*|feeds = "feeds/"|' \
      /etc/polywire/polywire.toml
ENV POLYWIRE_CONFIG=/etc/polywire/polywire.toml
USER polywire
WORKDIR /var/lib/polywire
VOLUME ["/etc/polywire", "/var/lib/polywire"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD curl -fsS http://127.0.0.1:8080/healthz >/dev/null || exit 1
ENTRYPOINT ["polywire"]
CMD ["run"]
