# The application, frozen into flash: reads the C driver's ring buffer as its
# timer interrupt fills it, processes the readings in Python and hands work
# back to C.
import sensordrv
import stats
import time

batches = []


def on_batch(n):
    # Scheduled by the driver's interrupt handler (pyrite_schedule): runs on
    # the Python thread between instructions.
    batches.append(n)


sampler = sensordrv.Sampler(2, on_batch)
buf = bytearray(2 * 32)
readings = []
t0 = time.ticks_ms()
while len(readings) < 96 and time.ticks_diff(time.ticks_ms(), t0) < 10000:
    if not batches:
        time.sleep_ms(1)
        continue
    batches.pop(0)
    # The driver copies its readings straight into buf: no copy in Python.
    n = sampler.read_into(buf)
    for i in range(n):
        v = buf[2 * i] | buf[2 * i + 1] << 8
        readings.append(v - 65536 if v >= 32768 else v)
sampler.stop()
produced, dropped = sampler.stats()
print("c_driver: readings", len(readings), "dropped", dropped, "batches seen", produced // sensordrv.BATCH > 0)
print("c_driver: range", min(readings), max(readings), "steps", sorted(stats.steps(readings)))
print("c_driver: mean", stats.mean(readings), "spread", stats.spread(readings))
# C calls Python back: the driver applies this function to each reading.
print("c_driver: apply", sensordrv.apply(lambda x: x - 2000, buf, n) == sum(r - 2000 for r in readings[-n:]))
