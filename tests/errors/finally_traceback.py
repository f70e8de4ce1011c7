def f():
    try:
        1 // 0
    except KeyError:
        print("not this")
    finally:
        print("cleanup")
f()
