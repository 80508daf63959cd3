#include <QtTest>
class T : public QObject
{
    Q_OBJECT private Q_SLOTS : void x() { QVERIFY(true); }
};
QTEST_MAIN(T)
#include "tst_procedure.moc"
