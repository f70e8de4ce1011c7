print("before")
raise SystemExit
print("not reached")
