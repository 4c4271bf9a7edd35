import Foundation

/// A ZIP archive written in memory, entries stored (not compressed), in the order added.
///
/// Enough for EPUB's container (OCF): the first entry can be `mimetype`, stored and with no
/// extra field, as the format requires. Every entry has the same fixed DOS timestamp and no
/// extra fields, so the same entries give the same bytes on every machine and time zone.
/// PNG figures, most of an EPUB's bytes, are compressed already.
struct ZIPWriter {
    private(set) var data = Data()
    private var central = Data()
    private var count = 0
    /// 1980-01-01 00:00, the earliest DOS date.
    private let dosTime: UInt16 = 0
    private let dosDate: UInt16 = (0 << 9) | (1 << 5) | 1

    enum Failure: Error, Equatable { case tooLarge(String), duplicate(String) }
    private var names: Set<String> = []

    mutating func add(_ path: String, _ contents: Data) throws(Failure) {
        guard !names.contains(path) else { throw .duplicate(path) }
        guard contents.count < 0xFFFF_FFFF, data.count < 0xFFFF_FFFF else { throw .tooLarge(path) }
        names.insert(path)
        let name = Data(path.utf8)
        let crc = CRC32.checksum(contents)
        let offset = UInt32(data.count)
        // Local file header.
        data.append(le32: 0x0403_4b50)
        data.append(le16: 20)           // version needed: 2.0
        data.append(le16: 0x0800)       // flags: file name is UTF-8
        data.append(le16: 0)            // method: stored
        data.append(le16: dosTime)
        data.append(le16: dosDate)
        data.append(le32: crc)
        data.append(le32: UInt32(contents.count))
        data.append(le32: UInt32(contents.count))
        data.append(le16: UInt16(name.count))
        data.append(le16: 0)            // no extra field
        data.append(name)
        data.append(contents)
        // Its central directory record.
        central.append(le32: 0x0201_4b50)
        central.append(le16: (3 << 8) | 20)  // made by: Unix, 2.0
        central.append(le16: 20)
        central.append(le16: 0x0800)
        central.append(le16: 0)
        central.append(le16: dosTime)
        central.append(le16: dosDate)
        central.append(le32: crc)
        central.append(le32: UInt32(contents.count))
        central.append(le32: UInt32(contents.count))
        central.append(le16: UInt16(name.count))
        central.append(le16: 0)         // extra
        central.append(le16: 0)         // comment
        central.append(le16: 0)         // disk
        central.append(le16: 0)         // internal attributes
        central.append(le32: 0o100644 << 16)  // external: a regular file, rw-r--r--
        central.append(le32: offset)
        central.append(name)
        count += 1
    }

    /// The archive: entries, central directory, end record.
    func finished() -> Data {
        var out = data
        let start = UInt32(out.count)
        out.append(central)
        out.append(le32: 0x0605_4b50)
        out.append(le16: 0)
        out.append(le16: 0)
        out.append(le16: UInt16(count))
        out.append(le16: UInt16(count))
        out.append(le32: UInt32(central.count))
        out.append(le32: start)
        out.append(le16: 0)
        return out
    }
}

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as ZIP uses.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ data: Data) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            for byte in bytes { c = table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        }
        return c ^ 0xFFFF_FFFF
    }
}

private extension Data {
    mutating func append(le16 value: UInt16) {
        append(UInt8(value & 0xFF)); append(UInt8(value >> 8))
    }
    mutating func append(le32 value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }
}
