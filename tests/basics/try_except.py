def risky(n):
    if n == 0:
        raise ValueError("zero")
    if n == 1:
        return 10 // (n - 1)
    return [1, 2][n]

for n in range(4):
    try:
        print("value", risky(n))
    except ValueError as e:
        print("ValueError", e, e.args)
    except (ZeroDivisionError, KeyError) as e:
        print("arith or key:", type(e) is ZeroDivisionError)
    except Exception as e:
        print("other", type(e), e)
    else:
        print("no exception")
    finally:
        print("finally", n)

def nested():
    try:
        try:
            raise KeyError("inner")
        except IndexError:
            print("not here")
        finally:
            print("inner finally")
    except LookupError as e:
        print("outer caught", repr(e))
        return "from except"
    finally:
        print("outer finally")
nested_result = nested()
print(nested_result)

def finally_on_return():
    for i in range(5):
        try:
            if i == 2:
                return i
            if i == 0:
                continue
        finally:
            print("cleanup", i)
print(finally_on_return())

def break_in_try():
    out = []
    for i in range(5):
        try:
            if i == 3:
                break
            out.append(i)
        except Exception:
            pass
        finally:
            out.append("f")
    return out
print(break_in_try())

try:
    try:
        1 // 0
    except ZeroDivisionError:
        print("handling")
        raise
except ZeroDivisionError as e:
    print("re-raised", type(e))

try:
    # MicroPython evaluates the cause but does not keep it, and warns.
    raise TypeError("new") from ValueError("cause")
except TypeError as e:
    print(e)

try:
    raise IndexError
except IndexError as e:
    print("class raised:", repr(e))

def swallow():
    try:
        return 1
    finally:
        return 2
print(swallow())

x = 0
while True:
    try:
        x += 1
        if x > 3:
            break
    finally:
        pass
print("x", x)

try:
    undefined_thing
except NameError:
    print("NameError caught")
except:
    print("no")

try:
    pass
except:
    print("no")
else:
    print("else runs")
print("end")
