@_exported import GavelCore
@_exported import GavelLP
@_exported import GavelScenario
@_exported import GavelSingleItem
@_exported import GavelRTB
@_exported import GavelData
@_exported import GavelIoT
@_exported import GavelMatching
