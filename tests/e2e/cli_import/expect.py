# tests/e2e/cli_import/expect.py - what every DnsEntries name of the AWS CLI
# sample must answer once imported (SPEC 1.1, 1.2, 1.3, Part 2), computed
# from the JSON files themselves, independently of vpcdns:
#
#   python3 expect.py describe-vpc-endpoints.json describe-network-interfaces.json
#
# prints one line per query, tab-separated:
#   VIEW  QNAME  TYPE  RECORDS  WHAT
# VIEW is "inside" (a client inside the VPC) or "inbound" (through the VPC's
# inbound resolver endpoint); RECORDS is the expected answer section, dig's
# "owner ttl class type rdata" records joined by "|"; WHAT says where the
# name comes from.  Names with PrivateDnsOnlyForInboundResolverEndpoint are
# printed with VIEW "inbound" and once more with VIEW "public" and RECORDS
# "-": inside the VPC they must be forwarded (the public answer).
import json
import sys

VPCE_DOMAINS = (".vpce.amazonaws.com", ".vpce.amazonaws.com.cn")

eps = json.load(open(sys.argv[1]))["VpcEndpoints"]
enis = {n["NetworkInterfaceId"]: n
        for n in json.load(open(sys.argv[2]))["NetworkInterfaces"]
        if n.get("InterfaceType") == "vpc_endpoint"}


def v6_of(eni):
    for a in eni.get("Ipv6Addresses", []):
        if a.get("Ipv6Address"):
            return a["Ipv6Address"]
    return eni.get("Ipv6Address")


def qname_of(name):
    # A wildcard answers a concrete label below it.
    return "e2e-label." + name[2:] if name.startswith("*.") else name


def records(owner, rtype, addrs):
    return ["%s. 60 IN %s %s" % (owner, rtype, a) for a in addrs]


for i, ep in enumerate(eps):
    entries = [e["DnsName"].rstrip(".").lower() for e in ep.get("DnsEntries", [])]
    if not entries:
        continue
    subnets = []  # (az, ipv4, ipv6)
    for eni_id in ep.get("NetworkInterfaceIds", []):
        eni = enis[eni_id]
        subnets.append((eni["AvailabilityZone"], eni.get("PrivateIpAddress"),
                        v6_of(eni)))
    azs = {s[0] for s in subnets}
    rec_type = (ep.get("DnsOptions", {}).get("DnsRecordIpType")
                or ep.get("IpAddressType") or "ipv4")
    inbound_only = bool(ep.get("DnsOptions", {}).get(
        "PrivateDnsOnlyForInboundResolverEndpoint"))
    provider = ep["ServiceName"].startswith(("com.amazonaws.vpce.",
                                            "cn.com.amazonaws.vpce."))
    regional = None
    for name in entries:
        if name.endswith(VPCE_DOMAINS):
            first = name[2:].split(".")[0] if name.startswith("*.") else \
                name.split(".")[0]
            if not any(first.endswith("-" + az) for az in azs):
                regional = name
                break

    def types(vpce_name):
        if rec_type == "ipv4":
            return ["A"]
        if rec_type == "ipv6":
            return ["AAAA"]
        if rec_type == "service-defined":
            return ["A", "AAAA"] if vpce_name else ["A"]
        return ["A", "AAAA"]

    def answer(owner, t, subs):
        addrs = [s[1] if t == "A" else s[2] for s in subs]
        return records(owner, t, [a for a in addrs if a])

    what_ep = "VpcEndpoints[%d] %s %s" % (i, ep["VpcEndpointId"],
                                          ep["ServiceName"])
    for name in entries:
        q = qname_of(name)
        if name.endswith(VPCE_DOMAINS):
            first = name[2:].split(".")[0] if name.startswith("*.") else \
                name.split(".")[0]
            zonal = [az for az in azs if first.endswith("-" + az)]
            subs = [s for s in subnets if s[0] in zonal] if zonal else subnets
            kind = "zonal name (%s)" % zonal[0] if zonal else "regional name"
            for t in types(True):
                print("inside\t%s\t%s\t%s\t%s %s %s" % (
                    q, t, "|".join(answer(q, t, subs)), what_ep, kind, t))
            continue
        if not ep.get("PrivateDnsEnabled"):
            continue
        for t in types(False):
            if provider:
                rr = ["%s. 60 IN CNAME %s." % (q, regional)] + \
                    answer(regional, t, subnets)
                kind = "provider's private DNS name (CNAME)"
            else:
                rr = answer(q, t, subnets)
                kind = "private DNS name"
            if inbound_only:
                print("inbound\t%s\t%s\t%s\t%s %s %s (inbound only)" % (
                    q, t, "|".join(rr), what_ep, kind, t))
                print("public\t%s\t%s\t-\t%s %s %s (inbound only)" % (
                    q, t, what_ep, kind, t))
            else:
                print("inside\t%s\t%s\t%s\t%s %s %s" % (
                    q, t, "|".join(rr), what_ep, kind, t))
