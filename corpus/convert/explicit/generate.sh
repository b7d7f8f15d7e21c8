#!/usr/bin/env bash
# EC keys whose curve is written out as explicit parameters
# (`openssl ... -param_enc explicit`), made from the test keys of
# ../private-test-keys, and two keys on curves SSH has no type for.
#
#   bash corpus/convert/explicit/generate.sh
#
# The explicit forms of the test keys are deterministic; the two other
# curves' keys are new each run (they only have to be refused).
set -euo pipefail
cd "$(dirname "$0")"
KEYS=../private-test-keys
for c in 256 384 521; do
    openssl ec -in "$KEYS/ecdsa$c.pem" -param_enc explicit -out "ecdsa$c.explicit.pem" 2>/dev/null
    openssl pkcs8 -topk8 -nocrypt -in "ecdsa$c.explicit.pem" -out "ecdsa$c.explicit.pkcs8"
    openssl ec -in "$KEYS/ecdsa$c.pem" -pubout -param_enc explicit -out "ecdsa$c.explicit.spki.pem" 2>/dev/null
    # The base point compressed, as some encoders write it.
    openssl ec -in "$KEYS/ecdsa$c.pem" -param_enc explicit -conv_form compressed -out "ecdsa$c.explicit-compressed.pem" 2>/dev/null
done
for curve in secp256k1 brainpoolP256r1; do
    openssl ecparam -name "$curve" -genkey -noout -param_enc explicit -out "$curve.explicit.pem"
    openssl ec -in "$curve.explicit.pem" -pubout -out "$curve.explicit.spki.pem" 2>/dev/null
done
ls
