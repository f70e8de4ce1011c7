# Operators on ints at the edges of the small-int range (the dispatch loop's
# fast paths) and their in-place forms, checked against CPython's results.
vals=[0,1,-1,7,-7,3,-3,100,-100,2**29,-2**29,2**62-1,-2**62,2**30, 62, 63, 64]
for a in vals:
  out=[]
  for b in vals:
    for op in ('+','-','*','&','|','^','//','%','<<','>>','<','>','==','!=','<=','>='):
      if op in ('<<',) and (b<0 or b>200): continue
      if op=='>>' and b<0: continue
      try: r=eval('a %s b'%op)
      except ZeroDivisionError: r='zde'
      out.append(r)
  x = a
  x += 5; x -= 2; x *= 3; x //= 2; x %= 1000; x <<= 3; x >>= 1; x &= 0xff; x |= 1; x ^= 3
  print(out, x)
