class SensorError(Exception):
    pass

class Sensor:
    def read(self):
        raise SensorError("no response", 0x48)

Sensor().read()
