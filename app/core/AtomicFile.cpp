#include "AtomicFile.h"

#include <QFile>

namespace oco {

bool readWholeFile(const QString &path, QByteArray *data, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read %1: %2").arg(path, f.errorString());
        return false;
    }
    *data = f.readAll();
    return true;
}

} // namespace oco
