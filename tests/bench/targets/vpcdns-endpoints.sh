#!/bin/bash
# vpcdns in endpoints mode (the same data as 2000 interface endpoints), so
# one harness run measures both modes side by side: see vpcdns.sh.
VPCDNS_MODE=endpoints exec "$(dirname "$0")/vpcdns.sh" "$@"
