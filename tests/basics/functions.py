def add(a, b):
    return a + b

def greet(name, greeting="hello", mark="!"):
    return greeting + " " + name + mark

def nothing():
    pass

def fact(n):
    if n <= 1:
        return 1
    return n * fact(n - 1)

def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a

counter = 0
def bump():
    global counter
    counter += 1
    return counter

print(add(2, 3), add("a", "b"), greet("world"), greet("you", "hi"), greet("x", "yo", "?"))
print(nothing(), fact(15), fib(50))
bump(); bump()
print(counter, bump())
print(type(fact))
f = add
print(f(1, 1), type(f) is type(add))
