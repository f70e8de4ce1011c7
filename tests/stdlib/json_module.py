# json: dumps/loads round trips, separators, dump/load on streams, errors.
import json
from io import StringIO
from collections import OrderedDict

doc = {"name": "sensor", "id": 17, "values": [1.5, -2, 3e-05, 10 ** 20], "ok": True,
       "none": None, "nested": {"a": [[], {}], "t": (1, 2)}, "esc": 'q"\\\n\t\r\x01'}
s = json.dumps(doc)
print(s)
print(json.loads(s) == json.loads(json.dumps(json.loads(s))))
print(json.dumps(doc["values"], separators=(",", ":")))
print(json.dumps(OrderedDict([("z", 1), ("a", 2)])))
print(json.dumps({1: "int key", 2.5: "float key", None: 0, False: 1}))
print(json.dumps("plain"), json.dumps(7), json.dumps(-0.5), json.dumps([]), json.dumps({}))

print(json.loads('  {"a" : [1, 2.5e3, -7, true, false, null], "b": {"c": "d\\u00e9\\n"}}  '))
print(json.loads("123456789012345678901234567890"), json.loads("-3"), json.loads('"x"'))
print(json.loads(b'[1, {"k": []}]'))
print(json.loads("[" * 50 + "]" * 50))

buf = StringIO()
json.dump({"k": [1, 2]}, buf)
print(buf.getvalue())
print(json.load(StringIO('{"back": [true]}')))

for bad in ("", "[1, 2", '{"a": 1', "[1] x", "{1: 2}", "tru", '"open', "]", '{"a" 1 ]'):
    try:
        print(json.loads(bad))
    except ValueError:
        print("ValueError", repr(bad))
for sep in (1, (",",), (",", ":", ";")):
    try:
        json.dumps([1], separators=sep)
    except (TypeError, ValueError) as e:
        print(type(e).__name__)
