import GavelCore
import Foundation
var rng = Xoshiro256StarStar(seed: 1)
let c = ContinuousClock(); let s = c.now
var acc = 0.0
for _ in 0..<20_000_000 { acc += -log1p(-rng.nextUnitDouble()) }
print("rng+log", c.now - s, acc)
for n in [1000, 100_000] {
  let m = HoldModel.measure(pending: n, events: 20_000_000)
  print(n, m.eventsPerSecond, m.finalTime)
}
