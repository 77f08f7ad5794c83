import GavelCore
