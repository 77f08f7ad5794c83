import Foundation
import Gavel
import GavelCommandLine

// Register before anything runs, then hand over to the gavel command: this program is
// `gavel` with one more matching algorithm.
do {
    try OnlineMatchingAlgorithms.registry.register(HyperbolicDiscount())
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(2)
}
GavelCommand.main()
