#!/usr/bin/env python3
"""Write example keys printed in RFCs as OpenSSH public key lines into keys/.

    python3 rfc_keys.py

- RFC 6979 (deterministic DSA and ECDSA) prints in appendix A.2 one key pair
  per curve and DSA size, private value included, as test vectors. OpenSSH
  can use four of them: the 1024-bit DSA key (A.2.1) and the P-256, P-384
  and P-521 keys (A.2.5-A.2.7).
- RFC 7517 (JSON Web Key) prints in appendix A.1 a P-256 and a 2048-bit RSA
  public key, and in A.2 their private halves; they are copied into JOSE
  libraries' tests and examples everywhere.

Anyone holds the private halves of these keys. Only the public values are
kept here, as the RFCs print them (DSA p, q, g, y; the points' coordinates;
RSA n and e). They were read from independent transcriptions of the RFCs in
public test suites that agree digit for digit, and each was checked once,
when this file was written, against the private values printed beside it
(y = g^x mod p; U = xG with Python `cryptography`; n = pq); the private
values are deliberately not stored. This script checks that every point is
on its curve (`cryptography` refuses one that is not) and that the DSA
group is consistent, and writes the wire blobs (RFC 4253 section 6.6, RFC
5656 section 3.1); make_list.py then checks each line with `ssh-keygen -l`.
"""

import base64
import os
import struct

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

HERE = os.path.dirname(os.path.abspath(__file__))

DSA_1024 = dict(
    p=0x86F5CA03DCFEB225063FF830A0C769B9DD9D6153AD91D7CE27F787C43278B447E6533B86B18BED6E8A48B784A14C252C5BE0DBF60B86D6385BD2F12FB763ED8873ABFD3F5BA2E0A8C0A59082EAC056935E529DAF7C610467899C77ADEDFC846C881870B7B19B2B58F9BE0521A17002E3BDD6B86685EE90B3D9A1B02B782B1779,
    q=0x996F967F6C8E388D9E28D01E205FBA957A5698B1,
    g=0x07B0F92546150B62514BB771E2A0C0CE387F03BDA6C56B505209FF25FD3C133D89BBCD97E904E09114D9A7DEFDEADFC9078EA544D2E401AEECC40BB9FBBF78FD87995A10A1C27CB7789B594BA7EFB5C4326A9FE59A070E136DB77175464ADCA417BE5DCE2F40D10A46A3A3943F26AB7FD9C0398FF8C76EE0A56826A8A88F1DBD,
    y=0x5DF5E01DED31D0297E274E1691C192FE5868FEF9E19A84776454B100CF16F65392195A38B90523E2542EE61871C0440CB87C322FC4B4D2EC5E1E7EC766E1BE8D4CE935437DC11C3C8FD426338933EBFE739CB3465F4D3668C5E473508253B1E682F65CBDC4FAE93C2EA212390E54905A86E2223170B44EAA7DA5DD9FFCFB7F3B,
)

# (file name, curve, Ux, Uy, appendix)
ECDSA = [
    ("ecdsa-p256", ec.SECP256R1(),
     0x60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6,
     0x7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299, "A.2.5"),
    ("ecdsa-p384", ec.SECP384R1(),
     0xEC3A4E415B4E19A4568618029F427FA5DA9A8BC4AE92E02E06AAE5286B300C64DEF8F0EA9055866064A254515480BC13,
     0x8015D9B72D7D57244EA8EF9AC0C621896708A59367F9DFB9F54CA84B3F1C9DB1288B231C3AE0D4FE7344FD2533264720, "A.2.6"),
    ("ecdsa-p521", ec.SECP521R1(),
     0x1894550D0785932E00EAA23B694F213F8C3121F86DC97A04E5A7167DB4E5BCD371123D46E45DB6B5D5370A7F20FB633155D38FFA16D2BD761DCAC474B9A2F5023A4,
     0x0493101C962CD4D2FDDF782285E64584139C2F91B47F87FF82354D6630F746A28A0DB25741B5B34A828008B22ACC23F924FAAFBD4D33F81EA66956DFEAA2BFDFCF5, "A.2.7"),
]


# RFC 7517 appendix A.1, base64url as printed.
JWK_EC_P256 = ("MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4", "4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM")
JWK_RSA_N = (
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3"
    "oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgd"
    "AZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur"
    "-kEgU8awapJzKnqDKgw"
)
JWK_RSA_E = "AQAB"


def b64url_int(s):
    return int.from_bytes(base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)), "big")


def string(b):
    return struct.pack(">I", len(b)) + b


def mpint(n):
    b = n.to_bytes((n.bit_length() + 8) // 8, "big") if n else b""
    return string(b)


def write(name, line):
    path = os.path.join(HERE, "keys", f"{name}.pub")
    with open(path, "w") as f:
        f.write(line + "\n")
    print(path)


def main():
    d = DSA_1024
    assert pow(d["g"], d["q"], d["p"]) == 1 and (d["p"] - 1) % d["q"] == 0
    blob = string(b"ssh-dss") + b"".join(mpint(d[k]) for k in "pqgy")
    write("rfc6979--dsa-1024", "ssh-dss " + base64.b64encode(blob).decode() + " RFC 6979 A.2.1 DSA 1024")
    for name, curve, ux, uy, where in ECDSA:
        key = ec.EllipticCurvePublicNumbers(ux, uy, curve).public_key()
        line = key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
        write(f"rfc6979--{name}", f"{line} RFC 6979 {where} ECDSA {curve.name}")
    x, y = (b64url_int(v) for v in JWK_EC_P256)
    key = ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()
    line = key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
    write("rfc7517--ec-p256", f"{line} RFC 7517 A.1 EC P-256")
    n, e = b64url_int(JWK_RSA_N), b64url_int(JWK_RSA_E)
    assert n.bit_length() == 2048 and n % 2 == 1
    blob = string(b"ssh-rsa") + mpint(e) + mpint(n)
    write("rfc7517--rsa-2048", "ssh-rsa " + base64.b64encode(blob).decode() + " RFC 7517 A.1 RSA 2048")


if __name__ == "__main__":
    main()
