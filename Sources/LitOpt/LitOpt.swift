// What every cell imports (implicitly): the engine, the figures and the display API.
@_exported import Autodiff
@_exported import Notebook
@_exported import Plotting
