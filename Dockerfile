# Dockerfile - the vpcdns container image (README "Use it as a sidecar").
#
#   docker build -t vpcdns .            (podman: add --format docker, which
#                                        keeps the HEALTHCHECK)
#   docker run -v ./vpcdns.yaml:/etc/vpcdns/vpcdns.yaml:ro vpcdns
#
# Two stages: "build" installs the build dependencies of scripts/deps.sh
# with apt and builds with autotools; the runtime stage holds the daemon,
# the shared libraries it links (found from the binary, so a new library
# needs no edit here), drill for the health check, and nothing else.  The
# daemon runs as the unprivileged user vpcdns; the file capability
# CAP_NET_BIND_SERVICE lets it bind port 53 (keep NET_BIND_SERVICE in the
# container's capabilities and leave no-new-privileges off, or listen on a
# port above 1023).
#
# Copyright (c) 2026 The vpcdns authors.
# SPDX-License-Identifier: MIT

FROM debian:bookworm-slim AS build
# deps.sh alone first: this layer (the slow apt step) is rebuilt only when
# the dependency lists change, not on every source change.
COPY scripts/deps.sh /src/scripts/deps.sh
RUN ["/bin/bash", "-c", ". /src/scripts/deps.sh && vpcdns_install $VPCDNS_BUILD_DEPS && rm -rf /var/lib/apt/lists/*"]
COPY . /src
WORKDIR /src
RUN ./autogen.sh >/dev/null && mkdir -p /build && cd /build && \
	/src/configure -q --prefix=/usr/local && make -s -j"$(nproc)" && \
	make -s install-strip DESTDIR=/out
# The Debian packages of the libraries the daemon links (ldd lists
# /lib/... names for files that dpkg may know under /usr/lib/...).
RUN for f in $(ldd /out/usr/local/bin/vpcdns | awk '$3 ~ /^\// { print $3 }'); do \
		dpkg -S "$f" 2>/dev/null || dpkg -S "$(readlink -f "$f")"; \
	done | cut -d: -f1 | sort -u >/out/runtime-packages && \
	test -s /out/runtime-packages

FROM debian:bookworm-slim
COPY --from=build /out/runtime-packages /usr/share/vpcdns/runtime-packages
# libcap2-bin only for setcap, removed in the same layer; dns-root-data:
# the root key, the default trust anchor of dnssec-validation: true.
RUN apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		$(cat /usr/share/vpcdns/runtime-packages) ldnsutils dns-root-data \
		libcap2-bin \
		>/dev/null && \
	useradd --system --no-create-home --home-dir /nonexistent \
		--shell /usr/sbin/nologin vpcdns && \
	mkdir -p /etc/vpcdns && \
	rm -rf /var/lib/apt/lists/*
COPY --from=build /out/usr/local/ /usr/local/
COPY contrib/container/vpcdns.yaml /etc/vpcdns/vpcdns.yaml
RUN setcap cap_net_bind_service=+ep /usr/local/bin/vpcdns && \
	DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq libcap2-bin >/dev/null && \
	vpcdns --version
USER vpcdns
EXPOSE 53/udp 53/tcp
# Any reply (even REFUSED) proves the daemon's loop serves queries; the
# configuration must listen on 127.0.0.1 or 0.0.0.0 for this probe.
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 \
	CMD ["drill", "-Q", "@127.0.0.1", "version.bind", "CH", "TXT"]
ENTRYPOINT ["vpcdns"]
CMD ["-c", "/etc/vpcdns/vpcdns.yaml"]
