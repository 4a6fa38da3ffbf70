/*
 * resolver/dns/proxy.h - the PROXY protocol version 2 header.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * A load balancer such as dnsdist (`useProxyProtocol=true`) puts a PROXY
 * v2 header (haproxy's proxy-protocol.txt, section 2.2) in front of every
 * UDP datagram and at the start of every TCP connection it sends to a
 * backend, so the backend learns the client's real address and port.
 * proxy_parse() reads such a header from bytes and says where the payload
 * starts; it is pure and keeps no state.  Version 1 (the text form) is
 * not accepted: DNS balancers speak v2.  The listener decides whom to
 * believe (io/net.c, `proxy-from`).
 */
#ifndef RESOLVER_DNS_PROXY_H
#define RESOLVER_DNS_PROXY_H

#include <sys/socket.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROXY_V2_SIG_LEN 12 /* "\r\n\r\n\0\r\nQUIT\n" */
#define PROXY_V2_FIXED 16   /* signature, ver/cmd, family, length */
#define PROXY_V2_MAX (PROXY_V2_FIXED + 65535) /* the longest header */

/* The command of a header (low nibble of byte 12). */
enum proxy_command {
	PROXY_CMD_LOCAL = 0, /* sent by the balancer itself (health checks):
				the connection's own addresses apply */
	PROXY_CMD_PROXY = 1, /* relayed for a client: the addresses below */
};

/* A parsed header.  Addresses and ports are in network order, as in any
 * struct sockaddr. */
struct proxy_header {
	enum proxy_command command;
	bool has_addr;		     /* false: LOCAL, or an UNSPEC or
					AF_UNIX address block (the
					connection's addresses apply) */
	bool stream;		     /* transport the client used:
					true TCP, false UDP or unspecified */
	struct sockaddr_storage src; /* the client (AF_INET/AF_INET6,
					port set) when has_addr */
	struct sockaddr_storage dst; /* the address the client reached,
					when has_addr */
	size_t len;		     /* bytes of the header, TLVs
					included: the payload starts here */
};

/**
 * proxy_parse() - read a PROXY v2 header at the start of @buf.
 * @buf: [in] received bytes (a datagram, or the start of a TCP stream).
 * @len: [in] bytes at @buf.
 * @out: [out] written only on VPC_OK.
 *
 * The header must have the v2 signature, version 2, command LOCAL or
 * PROXY, a known family and transport (or UNSPEC), an address block at
 * least as long as its family needs, and TLVs that exactly fill the rest
 * of the announced length (their contents are not interpreted: the spec
 * lets a receiver ignore them).
 *
 * Return: VPC_OK; VPC_EAGAIN when @buf is a proper prefix of a header
 * that may still turn out valid (TCP: wait for more bytes; UDP: treat as
 * malformed); VPC_EMALFORMED otherwise, including a missing header.
 */
int proxy_parse(const uint8_t *buf, size_t len, struct proxy_header *out);

#endif /* RESOLVER_DNS_PROXY_H */
