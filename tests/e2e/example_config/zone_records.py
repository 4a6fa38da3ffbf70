# tests/e2e/example_config/zone_records.py - list what a zone file must
# answer: one line per RRset, "QNAME<TAB>QTYPE<TAB>RR|RR|...", each RR in
# dig's presentation ("owner ttl IN TYPE rdata", absolute names).  A
# wildcard RRset is listed under its own name and under a name it covers.
#
# Usage: zone_records.py ORIGIN ZONEFILE.  Needs dnspython.

import sys

import dns.name
import dns.rdataclass
import dns.rdatatype
import dns.zone


def main():
    origin, path = sys.argv[1], sys.argv[2]
    zone = dns.zone.from_file(path, origin=origin, relativize=False,
                              check_origin=False)
    for owner, node in sorted(zone.nodes.items()):
        names = [owner]
        if owner.labels[0] == b"*":
            names.append(dns.name.Name((b"e2e-wildcard",) + owner.labels[1:]))
        for rds in node.rdatasets:
            rtype = dns.rdatatype.to_text(rds.rdtype)
            for qname in names:
                rrs = sorted("%s %d IN %s %s" % (
                    qname.to_text(), rds.ttl, rtype,
                    rd.to_text(origin=None, relativize=False))
                    for rd in rds)
                print("%s\t%s\t%s" % (qname.to_text(), rtype, "|".join(rrs)))


main()
