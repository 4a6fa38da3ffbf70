/*
 * resolver/util/awsid.h - the grammars of AWS identifiers.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The one copy of what a Region name, an Availability Zone name, a VPC id,
 * a VPC endpoint id and an endpoint DNS suffix look like.  The
 * configuration (conf/), the AWS CLI importer (conf/import*) and the
 * service catalog (engine/catalog.c) all ask here, so a name one of them
 * accepts the others accept too.  Pure predicates, no state.
 *
 * Region names (ABNF, RFC 5234):
 *
 *   region    = area 1*2("-" word) "-" number
 *   area      = 2*4LOWER   ; us eu ap sa ca me af il mx cn eusc
 *   word      = 2*LOWER    ; gov iso isob isoe isof de; east southeast ...
 *   number    = 1*2DIGIT
 *
 * at most AWSID_REGION_MAX - 1 bytes.  Source: the partitions' region
 * patterns in the AWS SDKs' endpoint data (botocore data/endpoints.json,
 * "regionRegex": ^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$ for aws,
 * ^cn-\w+-\d+$, ^us-gov-\w+-\d+$, ^us-iso-\w+-\d+$, ^us-isob-\w+-\d+$,
 * ^eu-isoe-\w+-\d+$, ^us-isof-\w+-\d+$, ^eusc-(de)-\w+-\d+$) and the
 * Regions AWS lists (docs.aws.amazon.com/global-infrastructure, "AWS
 * Regions"): us-east-1, ap-southeast-5, cn-north-1, cn-northwest-1,
 * us-gov-west-1, us-isob-east-1, eusc-de-east-1.  The area is not checked
 * against a list, so a new geography needs no code change; words are
 * letters only, as in every Region so far (\w would allow digits).
 *
 * An Availability Zone name is a Region and one lowercase letter
 * (us-east-1a); Local Zone and Wavelength names are not accepted.
 */
#ifndef RESOLVER_UTIL_AWSID_H
#define RESOLVER_UTIL_AWSID_H

#include <stdbool.h>
#include <stddef.h>

/* Room for any Region name and its NUL. */
#define AWSID_REGION_MAX 32
/* Characters of a VPC endpoint's DNS suffix (vpce-ID-SUFFIX...). */
#define AWSID_VPCE_SUFFIX_LEN 8

/** awsid_region() - whether the @len bytes at @s are a Region name. */
bool awsid_region(const char *s, size_t len);

/**
 * awsid_az() - whether @s is an Availability Zone name.
 * @region: [out] its Region, NUL-terminated, or NULL.
 */
bool awsid_az(const char *s, char region[AWSID_REGION_MAX]);

/** awsid_vpc_id() - "vpc-" and 1 to 32 lowercase letters, digits, '-'. */
bool awsid_vpc_id(const char *s);

/**
 * awsid_vpce_id() - "vpce-" and 1 to 17 lowercase hex digits (at most 17
 * keeps "vpce-ID-SUFFIX-AZ" one DNS label).
 */
bool awsid_vpce_id(const char *s);

/** awsid_vpce_suffix() - exactly 8 lowercase letters or digits. */
bool awsid_vpce_suffix(const char *s);

#endif /* RESOLVER_UTIL_AWSID_H */
