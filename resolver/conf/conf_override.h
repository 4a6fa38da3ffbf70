/*
 * resolver/conf/conf_override.h - command-line values that replace a file's.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * `--listen` and `--upstream` (and VPCDNS_LISTEN, VPCDNS_UPSTREAMS)
 * replace the `listen:` and `upstreams:` of whatever configuration was
 * loaded, so that one mounted file serves replicas that listen or forward
 * differently.  Errors name the flag or variable and the value as typed.
 * Pure: strings in, a changed struct conf out.
 */
#ifndef RESOLVER_CONF_CONF_OVERRIDE_H
#define RESOLVER_CONF_CONF_OVERRIDE_H

#include <stddef.h>

struct conf;
struct conf_errors;

struct conf_overrides {
	const char *const *listen;   /* "ADDR[:PORT]" each; NULL/0: keep */
	size_t n_listen;
	const char *listen_from;     /* "--listen" or "VPCDNS_LISTEN" */
	const char *const *upstreams; /* "ADDR[:PORT]" or "HOST[:PORT]"
				     each (host names go to
				     conf->upstream_hosts); 0: keep */
	size_t n_upstreams;
	const char *upstreams_from;  /* "--upstream" or "VPCDNS_UPSTREAMS" */
};

/**
 * conf_override() - replace @cf's listeners and upstreams by those of
 * @ov (the ones given).  A replaced listener is not an inbound endpoint.
 * @cf:   [in,out] a configuration just loaded, not yet shared.
 * @ov:   [in] the values; NULL is no override.
 * @errs: [in,out] "--listen: 'x': expected ADDR[:PORT]" and the like.
 * Return: VPC_OK; VPC_ECONFIG (appended; @cf unchanged); VPC_ENOMEM.
 */
int conf_override(struct conf *cf, const struct conf_overrides *ov,
		  struct conf_errors *errs);

#endif /* RESOLVER_CONF_CONF_OVERRIDE_H */
