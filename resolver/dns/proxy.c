/*
 * resolver/dns/proxy.c - the PROXY protocol version 2 header.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Parses the binary header of haproxy's proxy-protocol.txt (section 2.2)
 * that a balancer puts in front of what it relays.  Bytes in, a struct
 * proxy_header out; nothing is allocated and nothing is kept.  Lengths are
 * read through the wire_ reader; addresses and ports are copied as they
 * stand, because the header and struct sockaddr both hold them in network
 * order.
 */
#include "config.h"

#include "dns/proxy.h"

#include <netinet/in.h>

#include <string.h>

#include "dns/wire.h"
#include "util/err.h"

static const uint8_t proxy_sig[PROXY_V2_SIG_LEN] = {
    0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a};

/* proxy-protocol.txt 2.2: the address families of byte 13. */
enum {
	FAM_UNSPEC = 0,
	FAM_INET = 1,
	FAM_INET6 = 2,
	FAM_UNIX = 3,
};

/* Bytes of the address block each family needs (2.2: 12, 36, 216). */
static const size_t fam_addr_len[] = {0, 12, 36, 216};

static void
copy_in4(struct sockaddr_storage *ss, const uint8_t *addr, const uint8_t *port)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	sin->sin_family = AF_INET;
	memcpy(&sin->sin_addr, addr, 4);
	memcpy(&sin->sin_port, port, 2);
}

static void
copy_in6(struct sockaddr_storage *ss, const uint8_t *addr, const uint8_t *port)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	sin6->sin6_family = AF_INET6;
	memcpy(&sin6->sin6_addr, addr, 16);
	memcpy(&sin6->sin6_port, port, 2);
}

/* 2.2: source address, destination address, source port, destination
 * port; @a is the start of the address block. */
static void
read_addrs(unsigned fam, const uint8_t *a, struct proxy_header *h)
{
	if (fam == FAM_INET) {
		copy_in4(&h->src, a, a + 8);
		copy_in4(&h->dst, a + 4, a + 10);
	} else {
		copy_in6(&h->src, a, a + 32);
		copy_in6(&h->dst, a + 16, a + 34);
	}
}

/* 2.2.7: type (1 byte), length (2 bytes), value; they must exactly fill
 * the bytes after the address block. */
static bool
tlvs_ok(const uint8_t *buf, size_t from, size_t to)
{
	struct wire_reader r;

	wire_reader_init(&r, buf, to);
	r.pos = from;
	while (r.err == VPC_OK && r.pos < to) {
		wire_skip(&r, 1);
		wire_skip(&r, wire_read_u16(&r));
	}
	return r.err == VPC_OK;
}

int
proxy_parse(const uint8_t *buf, size_t len, struct proxy_header *out)
{
	struct proxy_header h = {0};
	unsigned cmd, fam, proto;
	size_t total, n = len < PROXY_V2_SIG_LEN ? len : PROXY_V2_SIG_LEN;
	struct wire_reader r;

	if (n > 0 && memcmp(buf, proxy_sig, n) != 0)
		return VPC_EMALFORMED;
	if (len < PROXY_V2_FIXED)
		return VPC_EAGAIN;
	/* 2.2: version 2 in the high nibble; commands other than LOCAL
	 * and PROXY must be dropped. */
	if ((buf[12] >> 4) != 2 || (cmd = buf[12] & 0xfu) > PROXY_CMD_PROXY)
		return VPC_EMALFORMED;
	wire_reader_init(&r, buf, len);
	wire_skip(&r, 14);
	total = PROXY_V2_FIXED + wire_read_u16(&r);
	if (len < total)
		return VPC_EAGAIN;
	h.command = (enum proxy_command)cmd;
	h.len = total;
	fam = buf[13] >> 4;
	proto = buf[13] & 0xfu;
	/* 2.2: with LOCAL the receiver uses the connection's own endpoints
	 * and discards the rest of the block, family included. */
	if (cmd == PROXY_CMD_LOCAL) {
		*out = h;
		return VPC_OK;
	}
	/* 2.2: other families and transports must be rejected. */
	if (fam > FAM_UNIX || proto > 2)
		return VPC_EMALFORMED;
	h.stream = proto == 1;
	if (fam != FAM_UNSPEC) {
		if (total - PROXY_V2_FIXED < fam_addr_len[fam] ||
		    !tlvs_ok(buf, PROXY_V2_FIXED + fam_addr_len[fam], total))
			return VPC_EMALFORMED;
		/* An AF_UNIX client has no address a view could match. */
		h.has_addr = fam != FAM_UNIX;
		if (h.has_addr)
			read_addrs(fam, buf + PROXY_V2_FIXED, &h);
	}
	*out = h;
	return VPC_OK;
}
