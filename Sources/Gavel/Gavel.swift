@_exported import GavelCore
