# A bool formats as its int once a spec is given; with none, as its name.
for spec in ['', '+', ' ', '-', '<', '^3', '5', ',', 'd', 'x', '#b', '.1f', 'e']:
    print(repr(spec), repr(format(True, spec)), repr(format(False, spec)))
print('{:+}|{:<}|{}|{!s:>6}|{:6}'.format(True, False, True, True, False))
print('%d %+d %5s %r' % (True, False, True, False))
