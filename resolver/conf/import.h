/*
 * resolver/conf/import.h - a configuration from AWS CLI output.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * `vpcdns import describe-vpc-endpoints.json
 * [describe-network-interfaces.json]` (SPEC Part 2) mirrors a real VPC:
 * import_aws_json() turns the JSON that `aws ec2 describe-vpc-endpoints`
 * and `aws ec2 describe-network-interfaces` print into the YAML of SPEC
 * Part 2, so that vpcdns answers exactly the endpoints' DnsEntries names
 * with the addresses of their network interfaces.  The module is pure:
 * the caller reads the files and prints the result; nothing here touches
 * a file, a socket or a clock, and there is no global state.  The text is
 * loaded with conf_load_string() and view_set_build() before it is
 * returned, so a successful import always loads.
 *
 * The rules, where SPEC Part 2 leaves them open:
 * - One VPC per VpcId, in the order of first appearance; endpoints keep
 *   the input order.  The VPC's Region is the Region of the Availability
 *   Zones of its endpoint interfaces (they live in the VPC; two Regions is
 *   an error); without interfaces (gateway endpoints only) it is the most
 *   common Region of its service names, the first one on a tie.
 * - The first VPC has no `clients` (the single-VPC default); every other
 *   VPC gets `clients: []` with a comment, because SPEC 1.5a allows only
 *   one VPC without them.  No listen, upstreams, cache or cidr-blocks are
 *   written; the header comment shows how to add them.
 * - VpcEndpointType Interface, Gateway and Resource map to interface,
 *   gateway and resource (any case); any other type (GatewayLoadBalancer,
 *   ServiceNetwork) is an error, as is a missing VpcEndpointId, VpcId or
 *   ServiceName.  An endpoint whose State is deleting, deleted, rejected,
 *   failed or expired, or an interface or resource endpoint without
 *   NetworkInterfaceIds, is left out with a comment.
 * - ip-address-type, dns-record-ip-type and private-dns are written when
 *   the JSON has them (DnsRecordIpType "not-specified" counts as absent);
 *   a gateway endpoint never gets private-dns (old CLI output says true
 *   for DynamoDB gateways).  private-dns-only-for-inbound-resolver-
 *   endpoint is written for every S3 and DynamoDB interface endpoint with
 *   private DNS, false when the JSON lacks it (AWS's default, unlike the
 *   configuration's); true needs a Gateway endpoint of the same service
 *   in the same VPC, or it is an error.
 * - Addresses: the interfaces named in NetworkInterfaceIds, looked up by
 *   NetworkInterfaceId; AvailabilityZone, PrivateIpAddress and the first
 *   Ipv6Addresses[].Ipv6Address (else Ipv6Address).  Interfaces of another
 *   InterfaceType than vpc_endpoint are ignored: an endpoint naming one,
 *   or naming one the file lacks, is an error.  So is an endpoint with
 *   interfaces when no interfaces file is given: vpcdns cannot invent
 *   addresses.  Two interfaces of one endpoint in one AZ are an error.
 * - DnsEntries names under vpce.amazonaws.com(.cn) must be the regional
 *   name "[*.]<id>-<suffix>.<label>.<region>.vpce..." and one zonal name
 *   "...-<suffix>-<az>..." per AZ with an interface (none for a
 *   cross-Region endpoint), exactly as endpoint.c builds them; the 8
 *   characters after the id become dns-suffix.  Any difference (another
 *   label, suffix or wildcard form, a missing or extra zonal name) is an
 *   error naming the entry, since vpcdns would answer other names.
 *   Without vpce names the suffix is derived from the id (a comment).
 * - Every other DnsEntries name is a private DNS name (ignored when
 *   PrivateDnsEnabled is false).  For an AWS service they become
 *   private-dns-names only when they differ from the catalog's, compared
 *   as sets in lower case without trailing dots; when DnsEntries list
 *   none, the catalog applies (older CLI output).  A provider's names
 *   always become private-dns-names; a resource endpoint's too, less the
 *   VPC Lattice names (a "vpc-lattice-rsc" label), which vpcdns does not
 *   serve; a resource endpoint left with no name is left out.  The
 *   service of a resource endpoint is its ServiceName, else its
 *   ResourceConfigurationArn.
 * - JSON is read with libyaml after an event prescan that refuses
 *   aliases, a second document and nesting deeper than 64; a key given
 *   twice in an object that is read is an error.
 */
#ifndef RESOLVER_CONF_IMPORT_H
#define RESOLVER_CONF_IMPORT_H

#include <stddef.h>

struct conf_errors;

/**
 * import_aws_json() - build a configuration from AWS CLI JSON output.
 * @endpoints_json:  [in] the output of `aws ec2 describe-vpc-endpoints`
 *                   (an object with a "VpcEndpoints" list); @len1 bytes,
 *                   need not be NUL-terminated.  JSON is read as YAML, so
 *                   `--output yaml` works too.
 * @len1:            [in] bytes at @endpoints_json.
 * @endpoints_name:  [in] the file name used in messages and in the header
 *                   comment of the result.
 * @interfaces_json: [in] the output of `aws ec2 describe-network-
 *                   interfaces` (an object with a "NetworkInterfaces"
 *                   list), or NULL when there is none; it is required as
 *                   soon as an endpoint has network interfaces.
 * @len2:            [in] bytes at @interfaces_json (ignored when NULL).
 * @interfaces_name: [in] its file name, for messages; may be NULL when
 *                   @interfaces_json is NULL.
 * @out_yaml:        [out] on success, the NUL-terminated configuration,
 *                   malloc'd and owned by the caller (free()); untouched
 *                   on failure.
 * @errs:            [in,out] every problem found is appended as
 *                   "file:line: entry: message" (for example
 *                   "e.json:57: VpcEndpoints[3] (vpce-0abc): unknown
 *                   VpcEndpointType 'GatewayLoadBalancer'"); "file:
 *                   message" when no line applies.  Nothing is appended
 *                   on success.  The caller releases it with
 *                   conf_errors_cleanup().
 *
 * All inputs are borrowed for the duration of the call.
 *
 * Return: VPC_OK; VPC_ECONFIG when at least one message was appended
 * (unreadable JSON, a missing or mistyped field, an unknown endpoint type,
 * a network interface that is not in the interfaces file, DnsEntries that
 * vpcdns cannot reproduce); VPC_ENOMEM.
 */
int import_aws_json(const char *endpoints_json, size_t len1,
		    const char *endpoints_name, const char *interfaces_json,
		    size_t len2, const char *interfaces_name, char **out_yaml,
		    struct conf_errors *errs);

/* The inputs of import_aws(); each text @len bytes, NULL when absent. */
struct import_inputs {
	const char *endpoints;       /* describe-vpc-endpoints */
	size_t endpoints_len;
	const char *endpoints_name;  /* file name for messages */
	const char *interfaces;      /* describe-network-interfaces */
	size_t interfaces_len;
	const char *interfaces_name;
	const char *instances;       /* describe-instances */
	size_t instances_len;
	const char *instances_name;
};

/**
 * import_aws() - import_aws_json() with describe-instances too.
 * @in:       [in] the documents, borrowed; at least one of endpoints and
 *            instances.  With instances (`Reservations[].Instances[]`)
 *            each instance with a VpcId joins that VPC's `instances:`
 *            (InstanceId, PrivateIpAddress, Ipv6Address or the first
 *            NetworkInterfaces[].Ipv6Addresses[].Ipv6Address,
 *            PublicIpAddress, PrivateDnsNameOptions: HostnameType,
 *            EnableResourceNameDnsARecord, EnableResourceNameDnsAAAARecord);
 *            its Placement.AvailabilityZone gives the VPC's Region (two
 *            Regions in one VPC is an error); terminated and
 *            shutting-down instances, and those without a VpcId or a
 *            private address, are left out with a comment; a duplicate
 *            InstanceId is an error.  describe-instances has no VPC CIDR
 *            blocks, so the VPC's `cidr-blocks` are the instances' own
 *            addresses (/32, /128), with a comment.
 * @out_yaml, @errs: as for import_aws_json().
 * Return: as import_aws_json(); VPC_EMALFORMED without any document.
 */
int import_aws(const struct import_inputs *in, char **out_yaml,
	       struct conf_errors *errs);

#endif /* RESOLVER_CONF_IMPORT_H */
