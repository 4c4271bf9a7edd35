// What every cell imports (implicitly): the engine, the figures and the display API.
@_exported import Autodiff
@_exported import Models
@_exported import Optimizers
@_exported import Landscape
@_exported import Foundation  // exp, sqrt, String(format:) … in every cell
@_exported import Notebook
@_exported import Plotting
