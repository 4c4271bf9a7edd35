import Autodiff

/// Fashion-MNIST (Xiao, Rasul & Vollgraf 2017): 28×28 greyscale images of clothing in 10
/// classes, 60 000 for training and 10 000 for test, MIT-licensed. Read from the gzip-compressed
/// IDX files of Debian's `dataset-fashion-mnist` package (which `make deps` installs), or from
/// `$LITOPT_DATA/fashion-mnist/` when that variable is set.
///
///     let train = try FashionMNIST.load(.train)     // 60 000 images, [1, 28, 28] each
public enum FashionMNIST {
    public enum Split: String, Sendable {
        case train, test
        var prefix: String { self == .train ? "train" : "t10k" }
    }

    /// The class names, by label.
    public static let classNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

    /// Where the Debian package installs the files (`dpkg -L dataset-fashion-mnist`).
    public static let packageDirectory = "/usr/share/datasets/fashion-mnist"

    /// The directory the files are read from: `$LITOPT_DATA/fashion-mnist` when LITOPT_DATA
    /// is set, else the package's.
    public static func directory(dataRoot: String? = environmentDataRoot()) -> String {
        if let root = dataRoot, !root.isEmpty { return root + "/fashion-mnist" }
        return packageDirectory
    }

    /// The LITOPT_DATA environment variable, if set.
    public static func environmentDataRoot() -> String? {
        getenv("LITOPT_DATA").map { String(cString: $0) }
    }

    /// The image and label files of a split.
    public static func files(_ split: Split, in directory: String) -> (images: String, labels: String) {
        ("\(directory)/\(split.prefix)-images-idx3-ubyte.gz", "\(directory)/\(split.prefix)-labels-idx1-ubyte.gz")
    }

    /// Whether both files of both splits are present in `directory`.
    public static func isAvailable(in directory: String = directory()) -> Bool {
        [Split.train, .test].allSatisfy { s in
            let f = files(s, in: directory)
            return access(f.images, R_OK) == 0 && access(f.labels, R_OK) == 0
        }
    }

    /// One split, checked: the image file must hold `[n, rows, columns]` bytes and the label file `[n]`
    /// labels below 10, for the same n. Pixels are unnormalized (see `ImageDataset.standardized`).
    public static func load(_ split: Split, from directory: String = directory()) throws(DataFileError) -> ImageDataset {
        let (imageFile, labelFile) = files(split, in: directory)
        for f in [imageFile, labelFile] where access(f, R_OK) != 0 {
            throw DataFileError(file: f, message: "Fashion-MNIST file not found; install Debian's dataset-fashion-mnist "
                                + "(`make deps`) or set LITOPT_DATA to a folder holding fashion-mnist/")
        }
        return try load(imageFile: imageFile, labelFile: labelFile)
    }

    /// Images and labels from two IDX files of Fashion-MNIST's (and MNIST's) layout.
    public static func load(imageFile: String, labelFile: String, classCount: Int = 10) throws(DataFileError) -> ImageDataset {
        let images = try IDX.read(imageFile)
        guard images.dimensions.count == 3 else {
            throw DataFileError(file: imageFile, message: "expected images of dimensions [n, rows, columns], found \(images.dimensions)")
        }
        let labels = try IDX.read(labelFile)
        guard labels.dimensions.count == 1 else {
            throw DataFileError(file: labelFile, message: "expected labels of dimensions [n], found \(labels.dimensions)")
        }
        guard labels.dimensions[0] == images.dimensions[0] else {
            throw DataFileError(file: labelFile, message: "\(labels.dimensions[0]) labels for the \(images.dimensions[0]) images of \(imageFile)")
        }
        if let bad = labels.bytes.firstIndex(where: { Int($0) >= classCount }) {
            throw DataFileError(file: labelFile, message: "label \(labels.bytes[bad]) of example \(bad) is not below \(classCount)")
        }
        return ImageDataset(pixels: images.bytes, labels: labels.bytes.map(Int.init), channels: 1,
                            height: images.dimensions[1], width: images.dimensions[2], classCount: classCount)
    }
}
