import Foundation
import Gavel
import GavelCommandLine

// Register before anything runs, then hand over to the gavel command: this program is `gavel`
// with one more position-auction rule, in the auction kind and in the market kind.
do {
    try AIGCAuctionFamily.registry.register(BidOrder())
    try AIGCMarketFamily.registry.register(BidOrder())
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(2)
}
GavelCommand.main()
